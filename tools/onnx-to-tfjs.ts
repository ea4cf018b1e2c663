// Converts an ONNX face model into Visage's converted-graph JSON plus one float32 .bin, so the page runs
// it on its single tfjs. Supports exactly the ops the shipped files use and names any other op.
import onnxProto from 'onnx-proto';
import type * as tf from '@tensorflow/tfjs-core';
import { CONVERTED_GRAPH_FORMAT, CONVERTED_OPS, type ConvertedGraph, type GraphNode } from '../src/inference/converted-graph.ts';

const { onnx } = onnxProto;
type TensorProto = onnxProto.onnx.ITensorProto;
type NodeProto = onnxProto.onnx.INodeProto;

interface Initializer {
  dims: number[];
  values: Float32Array | number[];
}

function initializerOf(t: TensorProto, file: string): Initializer {
  const dims = (t.dims ?? []).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  // A copy: from a Node Buffer, rawData is a view into the whole file at an unaligned offset.
  const raw = t.rawData && t.rawData.length > 0 ? new Uint8Array(t.rawData) : null;
  if (t.dataType === onnx.TensorProto.DataType.FLOAT) {
    if (raw) return { dims, values: new Float32Array(raw.buffer, 0, count) };
    return { dims, values: Float32Array.from(t.floatData ?? []) };
  }
  if (t.dataType === onnx.TensorProto.DataType.INT64) {
    if (raw) return { dims, values: Array.from(new BigInt64Array(raw.buffer, 0, count), Number) };
    return { dims, values: (t.int64Data ?? []).map(Number) };
  }
  throw new Error(`${file}: initializer ${t.name} has ONNX data type ${t.dataType}, which Visage does not convert`);
}

function floatAttr(node: NodeProto, name: string): number | undefined {
  const a = node.attribute?.find((x) => x.name === name);
  return a ? Number(a.f) : undefined;
}

/**
 * What a shape computation stands for while it is converted. PyTorch's `x.view(x.size(0), -1)` exports
 * as Shape → Gather(0) → Unsqueeze → Concat(…, [-1]) → Reshape: only the batch is read at run time, so
 * the chain is folded into one Reshape that keeps the batch free, and any other use of a shape is refused.
 */
type ShapeValue =
  | { kind: 'shape-of'; tensor: string }
  /** A list whose items are constants or the batch (dim 0) of `tensor`. */
  | { kind: 'list'; items: (number | { batchOf: string })[] };

function attr(node: NodeProto, name: string): number[] | undefined {
  const a = node.attribute?.find((x) => x.name === name);
  if (!a) return undefined;
  return a.ints && a.ints.length > 0 ? a.ints.map(Number) : [Number(a.i)];
}

/** ONNX [O, I/group, kh, kw] → tfjs conv2d [kh, kw, I, O] or depthwise [kh, kw, C, 1]. */
function transposeFilter(w: Initializer, depthwise: boolean): Initializer {
  const [o = 0, i = 0, kh = 0, kw = 0] = w.dims;
  const out = new Float32Array(w.values.length);
  const src = w.values as Float32Array;
  for (let a = 0; a < o; a++) for (let b = 0; b < i; b++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
    const from = ((a * i + b) * kh + y) * kw + x;
    // Depthwise: channel a, multiplier index b (always 0 here); ordinary: input b, output a.
    const to = depthwise ? ((y * kw + x) * o + a) * i + b : ((y * kw + x) * i + b) * o + a;
    out[to] = src[from] as number;
  }
  return { dims: depthwise ? [kh, kw, o, i] : [kh, kw, i, o], values: out };
}

/**
 * Weights under 1e-12 in magnitude (186,777 of fr_feature.onnx's 1.19 million, 8,938 of them subnormal)
 * are set to zero. Their share of any output is far below the 1e-4 the conversion is held to, but the CPU
 * computes with subnormal numbers on a slow path, and products of tiny weights make more of them: a face
 * took 81 ms in tfjs-wasm here as converted, 38 ms with the subnormals zeroed, 19 ms with all of these.
 */
const NEGLIGIBLE = 1e-12;

function zeroNegligible(values: Float32Array): Float32Array {
  const out = Float32Array.from(values);
  for (let i = 0; i < out.length; i++) if (Math.abs(out[i] as number) < NEGLIGIBLE) out[i] = 0;
  return out;
}

export interface ConvertedModel {
  graph: ConvertedGraph;
  /** The .bin: every weight's float32 bytes, in graph.weights order. */
  bin: Uint8Array;
}

/** @param file the ONNX file's path inside its package, for messages and the graph's source. */
export function convertOnnx(bytes: Uint8Array, file: string, sha256: string): ConvertedModel {
  const model = onnx.ModelProto.decode(bytes);
  const g = model.graph;
  if (!g) throw new Error(`${file}: no graph`);
  const inits = new Map<string, Initializer>();
  for (const t of g.initializer ?? []) inits.set(t.name ?? '', initializerOf(t, file));
  const used = new Map<string, Initializer>();
  const weight = (name: string | null | undefined, node: NodeProto, transform?: (w: Initializer) => Initializer): string => {
    const w = name ? inits.get(name) : undefined;
    if (!name || !w) throw new Error(`${file}: ${node.opType} node ${node.name ?? ''} needs a constant input ${name ?? ''}`);
    used.set(name, transform ? transform(w) : w);
    return name;
  };
  const isActivation = (name: string) => !inits.has(name);
  const shapes = new Map<string, ShapeValue>();
  const constants = new Map<string, number[]>();
  for (const [name, w] of inits) if (w.dims.length <= 1 && !(w.values instanceof Float32Array)) constants.set(name, w.values);
  const nodes: GraphNode[] = [];
  for (const node of g.node ?? []) {
    const [x = '', second, third] = node.input ?? [];
    const output = node.output?.[0] ?? '';
    const where = `${node.opType ?? '?'} node ${node.name || output}`;
    const unsupported = (why: string): never => {
      throw new Error(`${file}: ${where} ${why}: not supported`);
    };
    const activations = (): [string, string] => {
      if (!second || !isActivation(x) || !isActivation(second)) return unsupported('has a constant input');
      return [x, second];
    };
    switch (node.opType) {
      case 'Conv': {
        const w = inits.get(second ?? '');
        const group = attr(node, 'group')?.[0] ?? 1;
        const inChannels = (w?.dims[1] ?? 0) * group;
        const depthwise = group > 1;
        if (depthwise && (group !== inChannels || w?.dims[0] !== group)) {
          unsupported(`has group ${group} (only 1 and depthwise, group = channels)`);
        }
        if ((attr(node, 'dilations') ?? [1, 1]).some((d) => d !== 1)) unsupported('is dilated');
        const strides = attr(node, 'strides') ?? [1, 1];
        const pads = attr(node, 'pads') ?? [0, 0, 0, 0];
        nodes.push({
          op: 'Conv', input: x, output, depthwise,
          weight: weight(second, node, (f) => transposeFilter(f, depthwise)),
          bias: third ? weight(third, node) : null,
          strides: [strides[0] ?? 1, strides[1] ?? 1],
          pads: [pads[0] ?? 0, pads[1] ?? 0, pads[2] ?? 0, pads[3] ?? 0],
        });
        break;
      }
      case 'PRelu':
        // Slopes are [C, 1, 1] in NCHW: one per channel, the last axis in NHWC.
        nodes.push({ op: 'PRelu', input: x, output, slope: weight(second, node, (s) => ({ dims: [s.values.length], values: s.values })) });
        break;
      case 'Add':
        nodes.push({ op: 'Add', inputs: activations(), output });
        break;
      case 'Mul':
        nodes.push({ op: 'Mul', inputs: activations(), output });
        break;
      case 'GlobalAveragePool':
      case 'Relu':
      case 'Sigmoid':
        nodes.push({ op: node.opType, input: x, output });
        break;
      case 'MatMul': {
        const w = inits.get(second ?? '');
        if (!w || w.dims.length !== 2) unsupported('multiplies by something other than a constant matrix');
        nodes.push({ op: 'MatMul', input: x, output, weight: weight(second, node) });
        break;
      }
      case 'BatchNormalization': {
        const [, scale, bias, mean, variance] = node.input ?? [];
        nodes.push({
          op: 'BatchNormalization', input: x, output, epsilon: floatAttr(node, 'epsilon') ?? 1e-5,
          scale: weight(scale, node), bias: weight(bias, node), mean: weight(mean, node), variance: weight(variance, node),
        });
        break;
      }
      case 'Constant': {
        const t = node.attribute?.find((a) => a.name === 'value')?.t;
        if (!t) unsupported('has no tensor value');
        const c = initializerOf(t as TensorProto, file);
        if (c.values instanceof Float32Array) unsupported('is a float constant');
        constants.set(output, c.values as number[]);
        break;
      }
      case 'Shape':
        shapes.set(output, { kind: 'shape-of', tensor: x });
        break;
      case 'Gather': {
        const from = shapes.get(x);
        const index = constants.get(second ?? '');
        if (from?.kind !== 'shape-of' || (attr(node, 'axis')?.[0] ?? 0) !== 0 || index?.length !== 1 || index[0] !== 0) {
          unsupported('reads something other than the batch of a shape');
        }
        shapes.set(output, { kind: 'list', items: [{ batchOf: (from as { tensor: string }).tensor }] });
        break;
      }
      case 'Unsqueeze': {
        const from = shapes.get(x);
        if (from?.kind !== 'list') unsupported('is applied to a tensor, not a shape');
        shapes.set(output, from as ShapeValue);
        break;
      }
      case 'Concat': {
        const items: (number | { batchOf: string })[] = [];
        for (const name of node.input ?? []) {
          const part = shapes.get(name);
          const constant = constants.get(name);
          if (part?.kind === 'list') items.push(...part.items);
          else if (constant) items.push(...constant);
          else unsupported('joins tensors, not shapes');
        }
        shapes.set(output, { kind: 'list', items });
        break;
      }
      case 'Reshape': {
        const folded = shapes.get(second ?? '');
        const constant = constants.get(second ?? '');
        if (constant) {
          nodes.push({ op: 'Reshape', input: x, output, shape: constant });
        } else if (folded?.kind === 'list' && typeof folded.items[0] === 'object' && folded.items[0].batchOf === x
          && folded.items.slice(1).every((d) => typeof d === 'number')) {
          nodes.push({ op: 'Reshape', input: x, output, shape: [0, ...(folded.items.slice(1) as number[])] });
        } else {
          unsupported('has a computed shape other than (batch, constants…)');
        }
        break;
      }
      default:
        throw new Error(`${file}: ONNX op ${node.opType ?? '?'} (node ${node.name || output}) is not supported by Visage's converter (${[...CONVERTED_OPS, 'and the batch-keeping flatten of Shape, Gather, Unsqueeze, Concat, Constant'].join(', ')})`);
    }
  }
  const input = g.input?.find((i) => !inits.has(i.name ?? ''))?.name;
  const out = g.output?.[0]?.name;
  if (!input || !out) throw new Error(`${file}: no graph input or output`);

  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const [name, w] of used) {
    specs.push({ name, shape: w.dims, dtype: 'float32' });
    const f = zeroNegligible(w.values instanceof Float32Array ? w.values : Float32Array.from(w.values));
    chunks.push(new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
  }
  const bin = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    bin.set(c, at);
    at += c.length;
  }
  const graph: ConvertedGraph = {
    format: CONVERTED_GRAPH_FORMAT, source: { file, sha256 }, input, output: out, nodes,
    weights: specs,
  };
  return { graph, bin };
}
