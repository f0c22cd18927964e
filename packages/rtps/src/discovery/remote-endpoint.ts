import type { EndpointQos } from "../qos/endpoint-qos.ts";
import { guidToString, prefixToString } from "../wire/guid.ts";
import type { EndpointDescription } from "./endpoint-description.ts";

/** A matched (or refused) remote endpoint as the application sees it. */
export interface RemoteEndpointInfo {
  readonly guid: string;
  readonly participantGuidPrefix: string;
  readonly participantName: string | undefined;
  readonly topicName: string;
  readonly typeName: string;
  readonly keyed: boolean;
  readonly qos: EndpointQos;
}

export function remoteEndpointInfo(
  d: EndpointDescription,
  participantName: string | undefined,
): RemoteEndpointInfo {
  return {
    guid: guidToString(d.guid),
    participantGuidPrefix: prefixToString(d.guid.prefix),
    participantName,
    topicName: d.topicName,
    typeName: d.typeName,
    keyed: d.keyed,
    qos: d.qos,
  };
}
