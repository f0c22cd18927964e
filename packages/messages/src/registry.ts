import type { MessageCodec } from "./codec.ts";
import { requestTypeImplCodec, responseTypeImplCodec } from "./types/config.ts";
import {
  appRequirementsImplCodec,
  hwConstraintsImplCodec,
  mlModelMetadataImplCodec,
  userInputImplCodec,
} from "./types/inputs.ts";
import { nodeControlImplCodec, nodeStatusImplCodec } from "./types/node.ts";
import { co2FootprintImplCodec, hwResourceImplCodec, mlModelImplCodec } from "./types/outputs.ts";
import { taskIdImplCodec } from "./types/task-id.ts";

/** Every codec by wire type name. */
export const codecs = {
  TaskIdImpl: taskIdImplCodec,
  NodeStatusImpl: nodeStatusImplCodec,
  NodeControlImpl: nodeControlImplCodec,
  UserInputImpl: userInputImplCodec,
  MLModelImpl: mlModelImplCodec,
  MLModelMetadataImpl: mlModelMetadataImplCodec,
  AppRequirementsImpl: appRequirementsImplCodec,
  HWConstraintsImpl: hwConstraintsImplCodec,
  HWResourceImpl: hwResourceImplCodec,
  CO2FootprintImpl: co2FootprintImplCodec,
  RequestTypeImpl: requestTypeImplCodec,
  ResponseTypeImpl: responseTypeImplCodec,
} as const;

export type MessageTypeName = keyof typeof codecs;

/** The value type carried by a wire type name. */
export type MessageOf<N extends MessageTypeName> =
  (typeof codecs)[N] extends MessageCodec<infer T> ? T : never;

/** A codec whose value type is not known statically (lookup by a name read at run time). */
export type AnyMessageCodec = (typeof codecs)[MessageTypeName];

export const MESSAGE_TYPE_NAMES: readonly MessageTypeName[] = Object.keys(
  codecs,
) as MessageTypeName[];

export function isMessageTypeName(name: string): name is MessageTypeName {
  return Object.hasOwn(codecs, name);
}

/** Codec for a wire type name, or undefined for a name SustainML does not define. */
export function codecFor(typeName: string): AnyMessageCodec | undefined {
  return isMessageTypeName(typeName) ? codecs[typeName] : undefined;
}
