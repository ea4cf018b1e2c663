// Node's entry to Human for the eval tool and tests: the CommonJS wasm build, which shares the
// CommonJS @tensorflow/tfjs-core instance that our own code gets in Node. A relative path, because
// Human's package.json "exports" keys lack "./" and Node refuses every subpath through them.
module.exports = require('../../node_modules/@vladmandic/human/dist/human.node-wasm.js');
