// The inference worker's entry: answers the page's requests with one VisionEngine, closes every frame
// it receives on every path, and refuses messages from another protocol version. Kept light: the engine
// (tfjs, Human) loads as a separate chunk, and the model files are read meanwhile.
import { framesOf, PROTOCOL_VERSION, type Answers, type ReplyMessage, type Request, type RequestMessage } from './protocol.ts';
import { fetchLiveViewFiles } from '../inference/live-view-files.ts';
import { modelSource, type LoadProgress } from '../inference/verified-model-files.ts';
import type { answerRequest, VisionEngine } from './vision-engine.ts';
import { RequestQueue } from './request-queue.ts';

// Type-checked on its own (tsconfig.worker.json) with the WebWorker library, not the DOM.
const scope = self as DedicatedWorkerGlobalScope;

// Asked for at once; the start-up timeline's 'script' step is when it has loaded and run.
const engineModule = import('./vision-engine.ts').then((m) => ({ ...m, loadedAt: Math.round(performance.now()) }));
let engine: { instance: VisionEngine; dispatch: typeof answerRequest } | null = null;
const queue = new RequestQueue();

function reply(message: ReplyMessage): void {
  scope.postMessage(message);
}

async function answer(request: Request, id: number): Promise<Answers[keyof Answers]> {
  if (request.kind === 'start') {
    const onProgress = (progress: LoadProgress) => reply({ v: PROTOCOL_VERSION, id, kind: 'progress', progress });
    // Reading and checking the models does not need the engine's code: start it while that code loads.
    const files = fetchLiveViewFiles(modelSource(request.modelsUrl), request.modelId, onProgress);
    files.catch(() => undefined); // reported by the engine's start, which awaits the same promise
    const { VisionEngine: Engine, answerRequest: dispatch, loadedAt } = await engineModule;
    const instance = await Engine.start({ ...request, scriptAt: loadedAt }, onProgress, files);
    // Said at once: a frame in flight on a lost context may never answer.
    instance.onWebglLost(() => reply({ v: PROTOCOL_VERSION, id: 0, kind: 'webgl-lost' }));
    engine = { instance, dispatch };
    return instance.info;
  }
  const started = engine;
  if (!started) throw new Error('The inference worker has not started');
  return queue.run(() => started.dispatch(started.instance, request));
}

scope.addEventListener('message', (event: MessageEvent<RequestMessage>) => {
  const message = event.data;
  const version: unknown = message.v;
  if (version !== PROTOCOL_VERSION) {
    for (const frame of framesOf(message)) frame.close();
    reply({ v: PROTOCOL_VERSION, id: message.id, kind: 'failed', message: `Protocol ${String(version)} is not ${PROTOCOL_VERSION}: reload the page` });
    return;
  }
  answer(message, message.id).then(
    (value) => reply({ v: PROTOCOL_VERSION, id: message.id, kind: 'done', value }),
    (e: unknown) => reply({ v: PROTOCOL_VERSION, id: message.id, kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
  ).finally(() => {
    for (const frame of framesOf(message)) frame.close();
  });
});
