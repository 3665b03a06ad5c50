/**
 * Registers tfjs-core's gradient functions. tfjs-core's Node entry (dist/tf-core.node.js)
 * ships none — only the @tensorflow/tfjs union package registers them — so without this every
 * tf.grad/variableGrads throws "gradient function not found for Mean". The registration module
 * exists only as ESM sources with extensionless imports, which Node cannot load from
 * node_modules; the relative path makes esbuild bundle it (all `@tensorflow/*` specifiers are
 * external) and tsx compile it in tests. The bundled copy shares the one engine and the
 * kernel/gradient registries with the external tfjs-core: tfjs keeps those on globalThis.
 */
import '../../../node_modules/@tensorflow/tfjs-core/dist/register_all_gradients.js';
