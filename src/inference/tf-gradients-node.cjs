// Node's way to the tfjs gradients (the eval tool and tests train personal heads): tfjs-core's ESM
// register_all_gradients cannot load in Node (directory imports), while the tfjs CommonJS bundle
// registers every gradient in the registry all tfjs-core instances share (on globalThis).
require('@tensorflow/tfjs');
