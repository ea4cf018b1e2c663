// The inference worker's entry: answers the page's requests with one VisionEngine, closes every frame
// it receives on every path, and refuses messages from another protocol version.
import { answerRequest, VisionEngine } from './vision-engine.ts';
import { framesOf, PROTOCOL_VERSION, type Answers, type ReplyMessage, type Request, type RequestMessage } from './protocol.ts';

// The app's TypeScript program has the DOM library (not WebWorker, which clashes with it): name just
// what a dedicated worker's global offers here.
const scope = self as unknown as {
  postMessage: (message: ReplyMessage) => void;
  addEventListener: (type: 'message', listener: (event: MessageEvent<RequestMessage>) => void) => void;
};

let engine: VisionEngine | null = null;

function reply(message: ReplyMessage): void {
  scope.postMessage(message);
}

async function answer(request: Request, id: number): Promise<Answers[keyof Answers]> {
  if (request.kind === 'start') {
    engine = await VisionEngine.start(request.modelsUrl, request.modelId, (progress) => reply({ v: PROTOCOL_VERSION, id, kind: 'progress', progress }), request.backend);
    // Said at once: a frame in flight on a lost context may never answer.
    engine.onWebglLost(() => reply({ v: PROTOCOL_VERSION, id: 0, kind: 'webgl-lost' }));
    return engine.info;
  }
  if (!engine) throw new Error('The inference worker has not started');
  return answerRequest(engine, request);
}

scope.addEventListener('message', (event) => {
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
