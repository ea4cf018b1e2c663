// Converts an ONNX face model into Visage's converted-graph JSON plus one float32 .bin, so the page runs
// it on its single tfjs. Supports exactly the ops the shipped files use and names any other op.
import onnxProto from 'onnx-proto';
import type * as tf from '@tensorflow/tfjs-core';
import { CONVERTED_GRAPH_FORMAT, type ConvertedGraph, type GraphNode } from '../src/inference/converted-graph.ts';

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
  const nodes: GraphNode[] = [];
  for (const node of g.node ?? []) {
    const [x = '', second, third] = node.input ?? [];
    const output = node.output?.[0] ?? '';
    switch (node.opType) {
      case 'Conv': {
        const w = inits.get(second ?? '');
        const group = attr(node, 'group')?.[0] ?? 1;
        const inChannels = (w?.dims[1] ?? 0) * group;
        const depthwise = group > 1;
        if (depthwise && (group !== inChannels || w?.dims[0] !== group)) {
          throw new Error(`${file}: Conv node ${node.name ?? output} has group ${group}: only 1 and depthwise (group = channels) are supported`);
        }
        if ((attr(node, 'dilations') ?? [1, 1]).some((d) => d !== 1)) throw new Error(`${file}: Conv node ${node.name ?? output} is dilated: not supported`);
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
        if (!second || !isActivation(x) || !isActivation(second)) throw new Error(`${file}: Add node ${node.name ?? output} adds a constant: not supported`);
        nodes.push({ op: 'Add', inputs: [x, second], output });
        break;
      case 'Reshape': {
        const shape = inits.get(second ?? '');
        if (!shape) throw new Error(`${file}: Reshape node ${node.name ?? output} has a computed shape: not supported`);
        nodes.push({ op: 'Reshape', input: x, output, shape: Array.from(shape.values, Number) });
        break;
      }
      default:
        throw new Error(`${file}: ONNX op ${node.opType ?? '?'} (node ${node.name ?? output}) is not supported by Visage's converter (Conv, PRelu, Add, Reshape)`);
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
