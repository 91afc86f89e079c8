/**
 * The "PEDM" endpoint-DMA BAR metadata format (`include/linux/pci-ep-dma.h`, part 2 patch 1 of the
 * seed series): constants, word offsets and bit fields. Written from seed-series sections 1.2–1.5
 * and kernel-background E.5; the kernel header itself is not reproduced.
 *
 * Every field is a little-endian 32-bit word; 64-bit quantities are a LO word followed by a HI word
 * at +4 (seed-series 1.1). All offsets are relative to the start of the blob.
 */

// ---------------------------------------------------------------------------------------------
// Constants (seed-series 1.2)

/** `PCI_EP_DMA_METADATA_MAGIC`: ASCII "PEDM" when read as the LE bytes 50 45 44 4D. */
export const METADATA_MAGIC = 0x4d444550;
/** `PCI_EP_DMA_METADATA_REV`: the only revision the host accepts. */
export const METADATA_REV = 1;
/** `PCI_EP_DMA_METADATA_HDR_LEN`: header size; the write table starts here. */
export const HDR_LEN = 0x1c;
/** `PCI_EP_DMA_METADATA_CH_ENTRY_SIZE`: minimum (and the produced) channel-entry stride for rev 1. */
export const CH_ENTRY_SIZE = 0x2c;
/** `PCI_EP_DMA_METADATA_REG_LAYOUT_DW_EDMA`: the only defined register-layout id. */
export const LAYOUT_DW_EDMA = 1;

/** `EDMA_MAX_WR_CH` / `EDMA_MAX_RD_CH`: producer and consumer cap per direction (seed-series 1.5, kernel-background D.1). */
export const MAX_CH_PER_DIR = 8;
/** Largest blob the producer can write: 0x1C + 16 × 0x2C = 0x2DC (seed-series 1.5). */
export const MAX_PRODUCED_LEN = HDR_LEN + 2 * MAX_CH_PER_DIR * CH_ENTRY_SIZE;
/** HDR_LEN_FIELD is 16 bits, so no blob can be longer than this (seed-series 1.3). */
export const MAX_LEN_FIELD = 0xffff;
/** Register, descriptor and aux sizes are 32-bit fields (seed-series 1.3, 1.4, 1.5). */
export const U32_MAX = 0xffffffff;
export const U64_MAX = (1n << 64n) - 1n;
/** Largest value of the kernel's `off_t` (64-bit signed); the host requires BAR offsets to fit (seed-series 6.5). */
export const OFF_T_MAX = (1n << 63n) - 1n;
/** BAR indexes are 3-bit fields; only 0–5 exist, consumers must reject 6 and 7 (seed-series 1.4 notes). */
export const MAX_BAR = 5;

/** `enum dw_edma_map_format`, carried in REG_LAYOUT_DATA for layout DW_EDMA (seed-series 1.3, kernel-background D.1). */
export const MAP_FORMAT = {
  EDMA_LEGACY: 0x0,
  EDMA_UNROLL: 0x1,
  HDMA_COMPAT: 0x5,
  HDMA_NATIVE: 0x7,
} as const;

/** Human name of a map format number, as the decode views print it. */
export function mapFormatName(n: number): string {
  switch (n) {
    case MAP_FORMAT.EDMA_LEGACY: return 'eDMA legacy';
    case MAP_FORMAT.EDMA_UNROLL: return 'eDMA unroll';
    case MAP_FORMAT.HDMA_COMPAT: return 'HDMA compat';
    case MAP_FORMAT.HDMA_NATIVE: return 'HDMA native';
    default: return 'unknown map format';
  }
}

// ---------------------------------------------------------------------------------------------
// Header word offsets (seed-series 1.3)

export const OFF_MAGIC = 0x00;
/** `…_METADATA_HDR`: revision and total length. */
export const OFF_HDR = 0x04;
/** `…_METADATA_CTRL`: REG_BAR, channel counts, stride, H and R. */
export const OFF_CTRL = 0x08;
export const OFF_REG_OFF_LO = 0x0c;
export const OFF_REG_OFF_HI = 0x10;
/** `REG_LAYOUT`: layout id and layout data (map format). */
export const OFF_REG_LAYOUT = 0x14;
export const OFF_REG_SIZE = 0x18;

// ---------------------------------------------------------------------------------------------
// Channel entry word offsets, relative to the entry start (seed-series 1.4)

export const CH_OFF_CTRL = 0x00;
export const CH_OFF_DESC_OFF_LO = 0x04;
export const CH_OFF_DESC_OFF_HI = 0x08;
export const CH_OFF_DESC_SIZE = 0x0c;
export const CH_OFF_DESC_ADDR_LO = 0x10;
export const CH_OFF_DESC_ADDR_HI = 0x14;
export const CH_OFF_AUX_OFF_LO = 0x18;
export const CH_OFF_AUX_OFF_HI = 0x1c;
export const CH_OFF_AUX_SIZE = 0x20;
export const CH_OFF_AUX_ADDR_LO = 0x24;
export const CH_OFF_AUX_ADDR_HI = 0x28;

/** Word names of a channel entry in byte order, as seed-series 1.4 names them. */
export const CH_WORDS = [
  'CH_CTRL', 'CH_DESC_OFF_LO', 'CH_DESC_OFF_HI', 'CH_DESC_SIZE', 'CH_DESC_ADDR_LO', 'CH_DESC_ADDR_HI',
  'CH_AUX_OFF_LO', 'CH_AUX_OFF_HI', 'CH_AUX_SIZE', 'CH_AUX_ADDR_LO', 'CH_AUX_ADDR_HI',
] as const;

/** Header word names in byte order (seed-series 1.3). */
export const HDR_WORDS = ['magic', 'HDR', 'CTRL', 'REG_OFF_LO', 'REG_OFF_HI', 'REG_LAYOUT', 'REG_SIZE'] as const;

// ---------------------------------------------------------------------------------------------
// Bit fields

/** A bit field inside a 32-bit word: bits shift … shift+width−1. */
export interface BitField {
  readonly shift: number;
  readonly width: number;
}

/** HDR bits 7:0 `HDR_REV` (seed-series 1.3). */
export const HDR_REV: BitField = { shift: 0, width: 8 };
/** HDR bits 31:16 `HDR_LEN_FIELD`: total blob length in bytes (bits 15:8 reserved). */
export const HDR_LEN_FIELD: BitField = { shift: 16, width: 16 };

/** CTRL bits 2:0 `CTRL_REG_BAR`: BAR of the DMA register window (seed-series 1.3). */
export const CTRL_REG_BAR: BitField = { shift: 0, width: 3 };
/** CTRL bits 10:3 `CTRL_WR_CH_COUNT`: write (EP→RC) channels = write-table entries. */
export const CTRL_WR_CH_COUNT: BitField = { shift: 3, width: 8 };
/** CTRL bits 18:11 `CTRL_RD_CH_COUNT`: read (RC→EP) channels = read-table entries. */
export const CTRL_RD_CH_COUNT: BitField = { shift: 11, width: 8 };
/** CTRL bits 26:19 `CTRL_CH_ENTRY_SIZE`: channel-entry stride (≥ 0x2C, multiple of 4 for the host). */
export const CTRL_CH_ENTRY_SIZE: BitField = { shift: 19, width: 8 };
/** CTRL bit 30 `CTRL_HOST_REQ` ("H"): set only by the host once it found the blob (seed-series 1.6). Bits 29:27 reserved. */
export const CTRL_HOST_REQ: BitField = { shift: 30, width: 1 };
/** CTRL bit 31 `CTRL_READY` ("R"): set only by the endpoint once every described window is usable (seed-series 1.6). */
export const CTRL_READY: BitField = { shift: 31, width: 1 };
/** CTRL bits that carry no field (29:27). */
export const CTRL_RESERVED_MASK = 0x38000000;
/** HDR bits that carry no field (15:8). */
export const HDR_RESERVED_MASK = 0x0000ff00;

/** REG_LAYOUT bits 7:0 `REG_LAYOUT_ID` (1 = DesignWare eDMA/HDMA) (seed-series 1.3). */
export const REG_LAYOUT_ID: BitField = { shift: 0, width: 8 };
/** REG_LAYOUT bits 15:8 `REG_LAYOUT_DATA`: for DW_EDMA the `dw_edma_map_format` (bits 31:16 reserved). */
export const REG_LAYOUT_DATA: BitField = { shift: 8, width: 8 };
export const REG_LAYOUT_RESERVED_MASK = 0xffff0000;

/** CH_CTRL bits 7:0 `CH_CTRL_HW_CH`: hardware channel; rev-1 hosts require entry i to say i (seed-series 1.4). */
export const CH_CTRL_HW_CH: BitField = { shift: 0, width: 8 };
/** CH_CTRL bits 10:8 `CH_CTRL_DESC_BAR`: BAR holding the descriptor window (bit 11 reserved). */
export const CH_CTRL_DESC_BAR: BitField = { shift: 8, width: 3 };
/** CH_CTRL bits 14:12 `CH_CTRL_AUX_BAR`: BAR of the optional aux window (bit 15 reserved). */
export const CH_CTRL_AUX_BAR: BitField = { shift: 12, width: 3 };
/** CH_CTRL bit 16 `CH_CTRL_AUX_VALID` ("A"): if clear, the aux BAR and all aux words are ignored (bits 31:17 reserved). */
export const CH_CTRL_AUX_VALID: BitField = { shift: 16, width: 1 };
export const CH_CTRL_RESERVED_MASK = 0xfffe8800;

function fieldMask(f: BitField): number {
  return f.width >= 32 ? 0xffffffff : (2 ** f.width) - 1;
}

/** The value of bit field `f` in a 32-bit word. */
export function getBits(word: number, f: BitField): number {
  return Math.floor((word >>> 0) / 2 ** f.shift) % 2 ** f.width;
}

/** `word` with bit field `f` replaced by `value` (masked to the field width); an unsigned 32-bit result. */
export function setBits(word: number, f: BitField, value: number): number {
  const cleared = (word >>> 0) - getBits(word, f) * 2 ** f.shift;
  return (cleared + ((value >>> 0) % 2 ** f.width) * 2 ** f.shift) >>> 0;
}

/** Maximum value a bit field can hold. */
export function fieldMax(f: BitField): number {
  return fieldMask(f);
}

/** "10:3" for a multi-bit field, "30" for a single bit. */
export function bitRange(f: BitField): string {
  return f.width === 1 ? `${f.shift}` : `${f.shift + f.width - 1}:${f.shift}`;
}

/**
 * Offset of channel-table entry `index` of direction `dir` (seed-series 1.3 "Tables"): the write table
 * starts at HDR_LEN, the read table at HDR_LEN + WR_count × stride, where WR_count is the count the
 * metadata states (edge case E26), not a count the reader capped.
 */
export function entryOffset(dir: 'wr' | 'rd', index: number, wrCount: number, stride: number): number {
  return HDR_LEN + (dir === 'wr' ? index : wrCount + index) * stride;
}

/** Total blob length for the given channel counts: 0x1C + (WR + RD) × stride (seed-series 1.3, 6.3). */
export function metadataLength(wrCount: number, rdCount: number, stride: number = CH_ENTRY_SIZE): number {
  return HDR_LEN + (wrCount + rdCount) * stride;
}
