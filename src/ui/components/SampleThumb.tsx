// An aligned-face thumbnail from a Blob, with its object URL released when it goes away.
import { useEffect, useMemo } from 'react';

export function SampleThumb({ blob, alt, size = 72 }: { blob: Blob; alt: string; size?: number }) {
  const url = useMemo(() => URL.createObjectURL(blob), [blob]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return <img className="thumb" src={url} alt={alt} width={size} height={size} />;
}
