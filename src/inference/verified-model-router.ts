// Lets tfjs (and Human, which loads through tfjs) build graph models from bytes we already verified,
// instead of fetching them again unchecked: a tfjs load router for the `visage-verified://` scheme.
import * as tf from '@tensorflow/tfjs-core';

export const VERIFIED_SCHEME = 'visage-verified://';

const verified = new Map<string, ArrayBuffer>();
let registered = false;

/** Joins weight shards in manifest order into the one buffer tfjs decodes. */
export function concatBuffers(buffers: readonly ArrayBuffer[]): ArrayBuffer {
  const size = buffers.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(size);
  let at = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

function take(path: string): ArrayBuffer {
  const bytes = verified.get(path);
  if (!bytes) throw new Error(`Model file ${path} was not downloaded and verified before use`);
  return bytes;
}

function handlerFor(url: string): tf.io.IOHandler {
  const jsonPath = url.slice(VERIFIED_SCHEME.length);
  return {
    load: async () => {
      const modelJson = JSON.parse(new TextDecoder().decode(take(jsonPath))) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const data = concatBuffers(manifest.flatMap((group) => group.paths.map(take)));
        return Promise.resolve([specs, data]);
      });
    },
  };
}

/** Makes verified bytes loadable as `visage-verified://<path>`; registers the router once per tfjs instance. */
export function provideVerifiedFiles(files: Map<string, ArrayBuffer>): void {
  for (const [path, bytes] of files) verified.set(path, bytes);
  if (registered) return;
  registered = true;
  // tfjs types a router as always returning a handler, but it calls every router and skips nulls.
  const router = ((url: string | string[]) => {
    const u = Array.isArray(url) ? url[0] : url;
    return typeof u === 'string' && u.startsWith(VERIFIED_SCHEME) ? handlerFor(u) : null;
  }) as Parameters<typeof tf.io.registerLoadRouter>[0];
  tf.io.registerLoadRouter(router);
}

/** The raw verified bytes of one file (face-api's weights manifest is read directly, not as a graph model). */
export function verifiedFile(path: string): ArrayBuffer {
  return take(path);
}
