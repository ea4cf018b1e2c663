// The live camera with a canvas overlay laid exactly over it. The video is mirrored with CSS for a
// front camera; the overlay is not, and boxes are mirrored in maths instead, so text stays readable.
import { useEffect, useRef, useState } from 'react';
import { mirrorBox } from '../../domain/geometry.ts';
import type { DetectedFace, VisionClient } from '../../worker/vision-client.ts';
import { StatusLine } from './StatusLine.tsx';

interface Props {
  stream: MediaStream;
  mirrored: boolean;
  client: VisionClient;
}

function drawFaces(canvas: HTMLCanvasElement, faces: DetectedFace[], mirrored: boolean): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.lineWidth = Math.max(2, canvas.width / 320);
  ctx.strokeStyle = '#38bdf8';
  for (const face of faces) {
    const box = mirrored ? mirrorBox(face.box, canvas.width) : face.box;
    ctx.strokeRect(box.x, box.y, box.width, box.height);
  }
}

export function LiveView({ stream, mirrored, client }: Props) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [stats, setStats] = useState({ fps: 0, faces: 0 });

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    video.srcObject = stream;
    const onSize = () => {
      if (video.videoWidth > 0) setSize({ width: video.videoWidth, height: video.videoHeight });
    };
    video.addEventListener('loadedmetadata', onSize);
    video.addEventListener('resize', onSize);
    void video.play().catch(() => undefined); // autoplay of a muted camera stream is allowed
    return () => {
      video.removeEventListener('loadedmetadata', onSize);
      video.removeEventListener('resize', onSize);
      video.srcObject = null;
    };
  }, [stream]);

  useEffect(() => {
    const video = videoRef.current;
    const canvas = canvasRef.current;
    if (!video || !canvas || !size) return;
    let stopped = false;
    let frames = 0;
    let since = performance.now();
    // One frame in flight: the next detection starts only after the last one is drawn.
    const step = async () => {
      if (stopped) return;
      if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
        try {
          const faces = await client.detect(video);
          if (stopped) return;
          drawFaces(canvas, faces, mirrored);
          frames += 1;
          const now = performance.now();
          if (now - since >= 1000) {
            setStats({ fps: (frames * 1000) / (now - since), faces: faces.length });
            frames = 0;
            since = now;
          }
        } catch (e) {
          console.error('Face detection failed on a frame', e);
        }
      }
      requestAnimationFrame(() => void step());
    };
    void step();
    return () => {
      stopped = true;
    };
  }, [client, mirrored, size]);

  const aspect = size ? `${size.width} / ${size.height}` : '4 / 3';
  return (
    <section className="live" data-testid="live">
      <div className="stage" style={{ aspectRatio: aspect }}>
        <video
          ref={videoRef}
          data-testid="video"
          className={mirrored ? 'mirrored' : undefined}
          muted
          playsInline
          autoPlay
        />
        <canvas
          ref={canvasRef}
          data-testid="overlay"
          width={size?.width ?? 0}
          height={size?.height ?? 0}
          aria-hidden="true"
        />
      </div>
      <StatusLine info={client.info} fps={stats.fps} faces={stats.faces} mirrored={mirrored} />
    </section>
  );
}
