export { type Failure, failure, isFailure } from "./failure.ts";
export { errorCode, fileErrorSentence } from "./file-error.ts";
export { type Err, err, mapResult, type Ok, ok, type Result, unwrapOr } from "./result.ts";
