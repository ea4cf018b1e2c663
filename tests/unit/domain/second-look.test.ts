// A photo whose best face is doubtful gets a second look, and each face keeps its better fit: the boxes
// below are LFW's two photos that motivated it, as the detector reported them.
import { describe, expect, it } from 'vitest';
import { pixelBox } from '../../../src/domain/geometry.ts';
import { betterOfTwoLooks, SECOND_LOOK_BELOW, withSecondLook } from '../../../src/domain/second-look.ts';

// Nabil_Shaath_0002: the mesh misfitted the subject (0.57); zoomed out it fits (0.92, IoU 0.49).
const misfit = { box: pixelBox(34, 96, 182, 153), score: 0.57, id: 'misfit' };
const refit = { box: pixelBox(46, 43, 227, 227), score: 0.92, id: 'refit' };
const bystander = { box: pixelBox(0, 95, 84, 108), score: 0.39, id: 'bystander' };
const bystanderAgain = { box: pixelBox(0, 93, 80, 104), score: 0.3, id: 'bystander again' };
// Xanana_Gusmao_0002: first only a face in a corner; the second look also finds the subject.
const corner = { box: pixelBox(0, 161, 52, 53), score: 0.68, id: 'corner' };
const subject = { box: pixelBox(63, 69, 127, 127), score: 0.89, id: 'subject' };

describe('second look', () => {
  it("keeps each face's better-scoring fit and adds the faces only the second look found", () => {
    expect(betterOfTwoLooks([misfit, bystander], [refit, bystanderAgain]).map((f) => f.id)).toEqual(['refit', 'bystander']);
    expect(betterOfTwoLooks([corner], [subject]).map((f) => f.id)).toEqual(['corner', 'subject']);
    // Nothing better, nothing new: the first look stands.
    expect(betterOfTwoLooks([refit], [misfit])).toEqual([refit]);
    expect(betterOfTwoLooks([refit], [])).toEqual([refit]);
  });

  it('looks again only when the best face of the first look is doubtful', async () => {
    let looks = 0;
    const second = () => {
      looks++;
      return Promise.resolve([refit, bystanderAgain]);
    };
    expect((await withSecondLook([misfit, bystander], second)).map((f) => f.id)).toEqual(['refit', 'bystander']);
    expect(looks).toBe(1);
    const confident = { ...misfit, score: SECOND_LOOK_BELOW };
    expect(await withSecondLook([confident, bystander], second)).toEqual([confident, bystander]);
    // No face at all is the retries' case, not a second look.
    expect(await withSecondLook([], second)).toEqual([]);
    expect(looks).toBe(1);
  });
});
