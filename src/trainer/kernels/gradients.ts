/**
 * Registers tfjs-core's gradient functions. tfjs-core's Node entry (dist/tf-core.node.js)
 * ships none — only the @tensorflow/tfjs union package registers them, by importing this same
 * module, `@tensorflow/tfjs-core/dist/register_all_gradients` — so without this every
 * tf.grad/variableGrads throws "gradient function not found for Mean". The gradient configs
 * are not exported by name, so the package's own registration module is the one public way in
 * (rewriting ~100 gradients would be the alternative).
 *
 * It exists only as ESM sources with extensionless imports, which Node cannot load from
 * node_modules: scripts/build.mjs bundles this one specifier (every other `@tensorflow/*` stays
 * external) and tsx compiles it in tests. The bundled copy shares the one engine and the
 * kernel/gradient registries with the external tfjs-core: tfjs keeps those on globalThis.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
