// A disk that fills up part way through a transaction, as IndexedDB reports it: the n-th put throws
// QuotaExceededError. Returns the function that gives the disk its room back.
export function diskFullAtPut(n: number): () => void {
  const proto = IDBObjectStore.prototype;
  const put = Object.getOwnPropertyDescriptor(proto, 'put')?.value as IDBObjectStore['put'];
  let calls = 0;
  proto.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (++calls === n) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return put.apply(this, args);
  };
  return () => {
    proto.put = put;
  };
}
