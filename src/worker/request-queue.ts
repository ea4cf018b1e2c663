// One request at a time on an engine. Human's per-call config (skipFrames, rotation), the reused pixel
// buffer and the last detection are shared state: a photo capture answered while a live frame was half
// done could see the other's. Requests run in the order they came; the page sends one live frame at a
// time, so a live frame waits behind at most what was already asked.
export class RequestQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.then(() => undefined, () => undefined);
    return result;
  }
}
