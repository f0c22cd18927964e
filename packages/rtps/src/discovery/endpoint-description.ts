import type { EndpointQos } from "../qos/endpoint-qos.ts";
import type { Guid } from "../wire/guid.ts";
import type { Locator } from "../wire/locator.ts";

/** A writer or reader as discovery sees it, local or remote alike. */
export interface EndpointDescription {
  readonly guid: Guid;
  readonly side: "writer" | "reader";
  readonly topicName: string;
  readonly typeName: string;
  readonly keyed: boolean;
  readonly qos: EndpointQos;
  /** Empty means "use the participant's default locators". */
  readonly unicastLocators: readonly Locator[];
  readonly multicastLocators: readonly Locator[];
  readonly expectsInlineQos: boolean;
  /** Set for readers on content-filtered topics; filtering stays on their side. */
  readonly contentFiltered: boolean;
  readonly vendorId: number;
}
