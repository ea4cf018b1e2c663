import { describe, expect, it } from 'vitest';
import { makeEmbedding } from '../../../src/domain/embedding.ts';
import { pixelBox } from '../../../src/domain/geometry.ts';
import { Gallery } from '../../../src/domain/matching.ts';
import { NOT_IN_DATABASE, recognitionLabels, similarityPercent } from '../../../src/ui/recognition-labels.ts';
import type { AnalyzedFace } from '../../../src/worker/vision-client.ts';

const e = (...v: number[]) => makeEmbedding('m', v);
const face = (embedding: ReturnType<typeof e> | null): AnalyzedFace => ({
  box: pixelBox(0, 0, 10, 10), score: 0.9, yaw: 0, pitch: 0, embedding,
  points: { leftEye: { x: 3, y: 3 }, rightEye: { x: 7, y: 3 }, nose: { x: 5, y: 5 }, mouthLeft: { x: 3, y: 7 }, mouthRight: { x: 7, y: 7 } },
});

describe('recognition labels', () => {
  const gallery = new Gallery('m', 2, [{ personId: 'p1', embedding: e(1, 0) }]);
  const people = [{ id: 'p1', name: 'Ada', createdAt: 0, updatedAt: 0 }];
  const policy = { threshold: 0.3, minMargin: 0.1 };

  it('names a close face with its similarity and calls a far one "Not in database"', () => {
    const [near, far] = recognitionLabels([face(e(1, 0.1)), face(e(0, 1))], gallery, policy, people);
    expect(near).toMatchObject({ text: 'Ada · 100 %', tone: 'known' });
    expect(far).toMatchObject({ text: NOT_IN_DATABASE, tone: 'unknown' });
  });

  it('never names someone who was deleted meanwhile', () => {
    const [label] = recognitionLabels([face(e(1, 0))], gallery, policy, []);
    expect(label?.text).toBe(NOT_IN_DATABASE);
  });

  it('reports similarity as cosine percent', () => {
    expect(similarityPercent(0)).toBe(100);
    expect(similarityPercent(1)).toBe(50);
    expect(similarityPercent(4)).toBe(0);
  });
});
