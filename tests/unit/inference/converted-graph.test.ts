// The converted-graph pass runs a Conv and the PRelu or Relu right after it as one fused kernel, but only
// where nothing else reads the conv's own output; fused or not, the output is the same. (The shipped
// models' equality with onnxruntime-web is arcface-conversion's and replay-check's.)
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONVERTED_GRAPH_FORMAT, fusedActivations, runConvertedGraph, type ConvertedGraph, type GraphNode } from '../../../src/inference/converted-graph.ts';

const conv = (input: string, output: string, depthwise: boolean): GraphNode =>
  ({ op: 'Conv', input, output, weight: depthwise ? 'dw' : 'w', bias: 'b', strides: [1, 1], pads: [1, 0, 1, 2], depthwise });

/** x → conv(a) → prelu(p) → depthwise conv(c) → relu(r); r + c (so c's output is read twice: not fused). */
const graph: ConvertedGraph = {
  format: CONVERTED_GRAPH_FORMAT,
  source: { file: 'synthetic.onnx', sha256: '' },
  input: 'x',
  output: 'sum',
  nodes: [
    conv('x', 'a', false),
    { op: 'PRelu', input: 'a', output: 'p', slope: 's' },
    conv('p', 'c', true),
    { op: 'Relu', input: 'c', output: 'r' },
    { op: 'Add', inputs: ['r', 'c'], output: 'sum' },
  ],
  weights: [],
};

let weights: tf.NamedTensorMap;

beforeAll(async () => {
  await tf.setBackend('wasm');
  weights = {
    w: tf.randomNormal([3, 3, 3, 4], 0, 0.5, 'float32', 1),
    dw: tf.randomNormal([3, 3, 4, 1], 0, 0.5, 'float32', 2),
    b: tf.randomNormal([4], 0, 0.5, 'float32', 3),
    s: tf.tensor1d([0.1, 0.25, -0.2, 0.5]),
  };
});

describe('converted graph', () => {
  it('fuses a conv with the activation after it only where nothing else reads the conv', () => {
    const fused = fusedActivations(graph);
    expect([...fused.keys()]).toEqual([0]);
    expect(fused.get(0)).toEqual({ op: 'PRelu', output: 'p', slope: 's' });
  });

  it('gives the same output fused as op by op, with uneven padding', async () => {
    const x = tf.randomNormal<tf.Rank.R4>([2, 9, 7, 3], 0, 1, 'float32', 4);
    const fused = runConvertedGraph(graph, weights, x);
    const plain = runConvertedGraph(graph, weights, x, new Map());
    expect(fused.shape).toEqual([2, 9, 7, 4]);
    const diff = tf.max(tf.abs(tf.sub(fused, plain)));
    expect((await diff.data())[0]).toBeLessThan(1e-5);
    tf.dispose([x, fused, plain, diff]);
  });
});
