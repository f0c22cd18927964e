/**
 * onnxruntime's error text without its internals. It reads
 * `Load model from F failed:/onnxruntime_src/…/model.cc:187 onnxruntime::Model::Model(…) ModelProto
 * does not have a graph.`: the file name is said by our own message, and a source location
 * and a C++ signature mean nothing to the person whose model it is (and reach the bus in a
 * task's `mode_reason`). What is left is onnxruntime's own sentence.
 */
const LOAD_PREFIX = /^Load model from [\s\S]*? failed:\s*/;
/** `/path/file.cc:187 ` or `D:\path\file.cc(187): `, where onnxruntime throws. */
const SOURCE_LOCATION = /(?:^|\s)\S+\.(?:cc|cpp|h|hpp)(?::\d+|\(\d+\)):?\s+/g;
/** `ns::Class::method(args with one level of (parentheses)) ` after a source location. */
const SIGNATURE = /^(?:[\w~<>]+::)+[\w~<>]+\((?:[^()]|\([^()]*\))*\)(?:\s*const)?\s+/;

export function onnxruntimeMessage(text: string): string {
  let rest = text.trim().replace(LOAD_PREFIX, "");
  let previous = "";
  while (previous !== rest) {
    previous = rest;
    rest = rest.replace(SOURCE_LOCATION, " ").trim().replace(SIGNATURE, "").trim();
  }
  return rest === "" ? text.trim() : rest;
}
