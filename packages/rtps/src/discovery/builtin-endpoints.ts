import { EntityIds } from "../wire/guid.ts";
import { BuiltinEndpoint } from "./spdp-data.ts";

/** The builtin endpoints we implement and announce in PID_BUILTIN_ENDPOINT_SET. */
export const OUR_BUILTIN_ENDPOINTS =
  BuiltinEndpoint.participantAnnouncer |
  BuiltinEndpoint.participantDetector |
  BuiltinEndpoint.publicationsAnnouncer |
  BuiltinEndpoint.publicationsDetector |
  BuiltinEndpoint.subscriptionsAnnouncer |
  BuiltinEndpoint.subscriptionsDetector;

/** For each SEDP topic: our writer, the remote reader it feeds, and the bits that say they exist. */
export const SEDP_TOPICS = [
  {
    topic: "publications",
    writerId: EntityIds.sedpPublicationsWriter,
    readerId: EntityIds.sedpPublicationsReader,
    announcerBit: BuiltinEndpoint.publicationsAnnouncer,
    detectorBit: BuiltinEndpoint.publicationsDetector,
  },
  {
    topic: "subscriptions",
    writerId: EntityIds.sedpSubscriptionsWriter,
    readerId: EntityIds.sedpSubscriptionsReader,
    announcerBit: BuiltinEndpoint.subscriptionsAnnouncer,
    detectorBit: BuiltinEndpoint.subscriptionsDetector,
  },
] as const;
