import type {
  FormFactor,
  HardwareKind,
  HardwareProfile,
  HardwareVendor,
  PowerBasis,
} from "../profile.ts";
import { slug } from "./cpu-rows.ts";

/** The per-row facts of an accelerator; the rest is shared by a group with one source. */
export interface AcceleratorSpec {
  /** Model without vendor, e.g. "A100 SXM4 80GB". */
  readonly model: string;
  readonly family: string;
  readonly tdpW: number;
  readonly year: number;
  readonly memoryGB?: number;
  readonly formFactor?: FormFactor;
  readonly aliases?: readonly string[];
  readonly preference?: number;
  readonly note?: string;
  /** The row's own product page where the group's source is a family page. */
  readonly sourceId?: string;
}

export interface AcceleratorGroup {
  readonly vendor: HardwareVendor;
  readonly kind: HardwareKind;
  readonly basis: PowerBasis;
  readonly sourceId: string;
}

export function acceleratorRows(
  group: AcceleratorGroup,
  specs: readonly AcceleratorSpec[],
): readonly HardwareProfile[] {
  return specs.map(({ model, aliases = [], ...rest }) => {
    const name = `${group.vendor} ${model}`;
    return { id: slug(name), name, ...group, ...rest, aliases };
  });
}
