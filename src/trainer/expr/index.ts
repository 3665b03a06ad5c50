export { compileExpr, type CompiledExpr, type CompileOptions, type ExprContext, type ExprParamSpec, type VariableFactory } from './compile';
