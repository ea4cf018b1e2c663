// A face model converted from ONNX at install time (tools/onnx-to-tfjs.ts), run on the page's one tfjs:
// the JSON's shape, its validation, and the forward pass over its nodes. The converter has already put
// every weight in tfjs's NHWC layout, so the pass is a plain walk over the nodes with the batch free.
import * as tf from '@tensorflow/tfjs-core';

export const CONVERTED_GRAPH_FORMAT = 'visage-onnx-graph';

/** The ops the converter accepts: exactly those the shipped ONNX files use. */
export type GraphNode =
  | { op: 'Conv'; input: string; output: string; weight: string; bias: string | null; strides: [number, number];
    /** ONNX order: top, left, bottom, right. */
    pads: [number, number, number, number];
    /** One filter per input channel (ONNX group = channels); otherwise an ordinary conv (group 1). */
    depthwise: boolean }
  | { op: 'PRelu'; input: string; output: string; slope: string }
  | { op: 'Add'; inputs: [string, string]; output: string }
  /** ONNX Reshape of an NCHW tensor; `shape[0]` is the batch, which stays whatever it is. */
  | { op: 'Reshape'; input: string; output: string; shape: number[] }
  /** Mean over height and width, kept as a 1×1 map (ONNX GlobalAveragePool). */
  | { op: 'GlobalAveragePool'; input: string; output: string }
  | { op: 'Relu' | 'Sigmoid'; input: string; output: string }
  /** Element-wise product of two activations, broadcast (a squeeze-and-excitation gate: [N,H,W,C]·[N,1,1,C]). */
  | { op: 'Mul'; inputs: [string, string]; output: string }
  /** [N, K] · a constant [K, M]. */
  | { op: 'MatMul'; input: string; output: string; weight: string }
  /** Inference-time batch normalisation over the last axis, with the running statistics. */
  | { op: 'BatchNormalization'; input: string; output: string; scale: string; bias: string; mean: string; variance: string; epsilon: number };

/** Every op a converted graph may hold: exactly those the shipped ONNX files use. */
export const CONVERTED_OPS: readonly GraphNode['op'][] = [
  'Conv', 'PRelu', 'Add', 'Reshape', 'GlobalAveragePool', 'Relu', 'Sigmoid', 'Mul', 'MatMul', 'BatchNormalization',
];

export interface ConvertedGraph {
  format: typeof CONVERTED_GRAPH_FORMAT;
  /** The ONNX file this came from: path inside its package and its sha256. */
  source: { file: string; sha256: string };
  input: string;
  output: string;
  nodes: GraphNode[];
  /** tfjs weight specs, in the order their bytes lie in the .bin. */
  weights: tf.io.WeightsManifestEntry[];
}

/** Checks the converted JSON before any tensor is made from it; throws naming the first bad part. */
export function parseConvertedGraph(raw: unknown, file: string): ConvertedGraph {
  const fail = (what: string): never => {
    throw new Error(`${file} is not a converted Visage model: ${what}`);
  };
  if (typeof raw !== 'object' || raw === null) return fail('not an object');
  const g = raw as Partial<ConvertedGraph>;
  if (g.format !== CONVERTED_GRAPH_FORMAT) return fail(`format is ${String(g.format)}`);
  if (typeof g.input !== 'string' || typeof g.output !== 'string') return fail('no input or output name');
  if (!Array.isArray(g.nodes) || !Array.isArray(g.weights)) return fail('no nodes or weights');
  const ops = new Set<string>(CONVERTED_OPS);
  for (const [i, n] of g.nodes.entries()) {
    if (!ops.has((n as { op?: string }).op ?? '')) return fail(`node ${i} has op ${String((n as { op?: string }).op)}`);
  }
  return g as ConvertedGraph;
}

function named(values: Map<string, tf.Tensor>, name: string): tf.Tensor {
  const t = values.get(name);
  if (!t) throw new Error(`converted graph: no tensor named ${name}`);
  return t;
}

/** An activation run inside the conv before it: what it is and the name its output goes by. */
export type FusedActivation = { op: 'PRelu'; output: string; slope: string } | { op: 'Relu'; output: string };

/**
 * Conv nodes whose output feeds only the PRelu or Relu right after them, by the conv's index: tfjs runs
 * the pair as one fused kernel (conv, bias and activation in one pass over the output). On wasm here that
 * cut the ArcFace MobileFaceNet from 17.4-19.1 to 16.1-16.3 ms a face, the same output within 1e-6.
 */
export function fusedActivations(graph: ConvertedGraph): Map<number, FusedActivation> {
  const uses = new Map<string, number>();
  for (const n of graph.nodes) for (const i of 'inputs' in n ? n.inputs : [n.input]) uses.set(i, (uses.get(i) ?? 0) + 1);
  const fused = new Map<number, FusedActivation>();
  graph.nodes.forEach((node, i) => {
    const next = graph.nodes[i + 1];
    if (node.op !== 'Conv' || !next || !('input' in next) || next.input !== node.output || uses.get(node.output) !== 1 || node.output === graph.output) return;
    if (next.op === 'PRelu') fused.set(i, { op: 'PRelu', output: next.output, slope: next.slope });
    if (next.op === 'Relu') fused.set(i, { op: 'Relu', output: next.output });
  });
  return fused;
}

/** Runs the graph on [N, H, W, C] input (already normalised as the model wants); returns the output. */
export function runConvertedGraph(graph: ConvertedGraph, weights: tf.NamedTensorMap, input: tf.Tensor4D, fused = fusedActivations(graph)): tf.Tensor {
  return tf.tidy(() => {
    const values = new Map<string, tf.Tensor>([[graph.input, input]]);
    const w = (name: string) => {
      const t = weights[name];
      if (!t) throw new Error(`converted graph: no weight named ${name}`);
      return t;
    };
    for (let i = 0; i < graph.nodes.length; i++) {
      const node = graph.nodes[i] as GraphNode;
      switch (node.op) {
        case 'Conv': {
          const [t, l, b, r] = node.pads;
          const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [t, b], [l, r], [0, 0]];
          const activation = fused.get(i);
          const conv = {
            x: named(values, node.input) as tf.Tensor4D,
            filter: w(node.weight) as tf.Tensor4D,
            strides: node.strides,
            // Explicit padding: both fused kernels take it (computeConv2DInfo), though the depthwise
            // op's type names only 'same', 'valid' and a number; the ONNX equality tests cover both.
            pad: pad as unknown as number,
            ...(node.bias ? { bias: w(node.bias) } : {}),
            ...(activation?.op === 'PRelu' ? { activation: 'prelu' as const, preluActivationWeights: w(activation.slope) } : {}),
            ...(activation?.op === 'Relu' ? { activation: 'relu' as const } : {}),
          };
          values.set(activation ? activation.output : node.output, node.depthwise ? tf.fused.depthwiseConv2d(conv) : tf.fused.conv2d(conv));
          if (activation) i += 1; // the activation ran inside the conv
          break;
        }
        case 'PRelu':
          values.set(node.output, tf.prelu(named(values, node.input), w(node.slope)));
          break;
        case 'Add':
          values.set(node.output, tf.add(named(values, node.inputs[0]), named(values, node.inputs[1])));
          break;
        case 'Reshape': {
          // ONNX flattens in NCHW order: go back to it first, so a reshape of a map bigger than 1×1 is right.
          const x = named(values, node.input);
          const nchw = x.rank === 4 ? tf.transpose(x, [0, 3, 1, 2]) : x;
          values.set(node.output, tf.reshape(nchw, [x.shape[0] ?? 1, ...node.shape.slice(1)]));
          break;
        }
        case 'GlobalAveragePool':
          values.set(node.output, tf.mean(named(values, node.input), [1, 2], true));
          break;
        case 'Relu':
          values.set(node.output, tf.relu(named(values, node.input)));
          break;
        case 'Sigmoid':
          values.set(node.output, tf.sigmoid(named(values, node.input)));
          break;
        case 'Mul':
          values.set(node.output, tf.mul(named(values, node.inputs[0]), named(values, node.inputs[1])));
          break;
        case 'MatMul':
          values.set(node.output, tf.matMul(named(values, node.input), w(node.weight)));
          break;
        case 'BatchNormalization':
          values.set(node.output, tf.batchNorm(named(values, node.input), w(node.mean), w(node.variance), w(node.bias), w(node.scale), node.epsilon));
          break;
      }
    }
    return named(values, graph.output);
  });
}

/** A converted graph with its weights decoded: what each model built on the converter holds. */
export class ConvertedModel {
  private readonly fused: ReturnType<typeof fusedActivations>;

  private constructor(
    private readonly graph: ConvertedGraph,
    private readonly weights: tf.NamedTensorMap,
  ) {
    this.fused = fusedActivations(graph);
  }

  /** @param file the JSON's name, for messages. */
  static fromFiles(json: ArrayBuffer, bin: ArrayBuffer, file: string): ConvertedModel {
    const graph = parseConvertedGraph(JSON.parse(new TextDecoder().decode(json)), file);
    return new ConvertedModel(graph, tf.io.decodeWeights(bin, graph.weights));
  }

  /** The graph's output for [N, H, W, C] input, already normalised as the model wants. */
  run(input: tf.Tensor4D): tf.Tensor {
    return runConvertedGraph(this.graph, this.weights, input, this.fused);
  }

  dispose(): void {
    for (const t of Object.values(this.weights)) t.dispose();
  }
}
