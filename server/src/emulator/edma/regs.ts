/**
 * DesignWare eDMA (v0) and HDMA (native v0) register offsets and bit fields, as named constants.
 * Sources: kernel-background D.1 (map formats), D.2 (eDMA v0 map: global block, legacy viewport,
 * unrolled per-channel contexts), D.3 (linked-list element layout), D.5 (HDMA native per-channel
 * map); seed-series 5 (FUNC_NUM field, HDMA func_num). Offsets are from the eDMA register base.
 */

// ---------------------------------------------------------------------------------------------
// D.1 map formats
// ---------------------------------------------------------------------------------------------

export type EdmaMapFormat = 'legacy' | 'unroll' | 'hdma-compat' | 'hdma-native';
export type EdmaDir = 'write' | 'read';

/** The `enum dw_edma_map_format` value (also the VSEC "map" field) of each layout (D.1). */
export const MAP_FORMAT_CODE: Readonly<Record<EdmaMapFormat, number>> = {
  legacy: 0x0,
  unroll: 0x1,
  'hdma-compat': 0x5,
  'hdma-native': 0x7,
};

/** eDMA hardware maximum per direction (D.1 EDMA_MAX_WR_CH / EDMA_MAX_RD_CH). */
export const EDMA_MAX_CH = 8;
/** HDMA native per direction: 8 in mainline, 64 with the AMD patch (D.1). */
export const HDMA_MAX_CH = 64;

// ---------------------------------------------------------------------------------------------
// D.2 eDMA v0: global block
// ---------------------------------------------------------------------------------------------

export const V0_CTRL_DATA_ARB_PRIOR = 0x000;
/** Read-only: write channel count in bits 3:0, read channel count in bits 19:16 (D.2, E.4). */
export const V0_CTRL = 0x008;
export const V0_CTRL_WR_CNT_MASK = 0xf;
export const V0_CTRL_RD_CNT_SHIFT = 16;
export const V0_CTRL_RD_CNT_MASK = 0xf << V0_CTRL_RD_CNT_SHIFT;

export const V0_WR_ENGINE_EN = 0x00c;
export const V0_WR_DOORBELL = 0x010;
export const V0_WR_CH_ARB_WEIGHT = 0x018; // 64-bit
export const V0_RD_ENGINE_EN = 0x02c;
export const V0_RD_DOORBELL = 0x030;
export const V0_RD_CH_ARB_WEIGHT = 0x038; // 64-bit

export const V0_WR_INT_STATUS = 0x04c;
export const V0_WR_INT_MASK = 0x054;
export const V0_WR_INT_CLEAR = 0x058;
export const V0_WR_ERR_STATUS = 0x05c;
export const V0_WR_DONE_IMWR = 0x060; // 64-bit MSI address (lo, hi)
export const V0_WR_ABORT_IMWR = 0x068; // 64-bit
/** wr_ch01/23/45/67_imwr_data: even channel in bits 15:0, odd channel in bits 31:16 (D.2). */
export const V0_WR_IMWR_DATA = 0x070;
export const V0_WR_LL_ERR_EN = 0x090;

export const V0_RD_INT_STATUS = 0x0a0;
export const V0_RD_INT_MASK = 0x0a8;
export const V0_RD_INT_CLEAR = 0x0ac;
export const V0_RD_ERR_STATUS = 0x0b4; // 64-bit (lo 0x0b4, hi 0x0b8)
export const V0_RD_LL_ERR_EN = 0x0c4;
export const V0_RD_DONE_IMWR = 0x0cc;
export const V0_RD_ABORT_IMWR = 0x0d4;
export const V0_RD_IMWR_DATA = 0x0dc;

/** engine_en bit 0 (D.2). */
export const V0_ENGINE_EN = 1 << 0;
/** Doorbell: bits 2:0 channel id; bit 31 = stop per databook, unused by Linux (D.2). */
export const V0_DOORBELL_CH_MASK = 0x7;
export const V0_DOORBELL_STOP = 0x80000000;

/** int_status / int_mask / int_clear: DONE bits 7:0, ABORT bits 23:16 (D.2). */
export const V0_INT_DONE_MASK = 0x000000ff;
export const V0_INT_ABORT_SHIFT = 16;
export const V0_INT_ABORT_MASK = 0x00ff0000;
export const v0IntDone = (ch: number): number => (1 << ch) >>> 0;
export const v0IntAbort = (ch: number): number => (1 << (V0_INT_ABORT_SHIFT + ch)) >>> 0;
/** linked_list_err_en bits 7:0 (one per channel) as programmed by the driver (D.4 step 3). */
export const V0_LL_ERR_EN_MASK = 0xff;

// --- legacy viewport (D.2 "Legacy only") ---
export const V0_VIEWPORT_SEL = 0x0f8;
export const V0_VIEWPORT_CH_MASK = 0x7;
/** viewport_sel bit 31 = 1 selects the READ channel. */
export const V0_VIEWPORT_READ = 0x80000000;
/** The single channel-context window (0x100..0x120). */
export const V0_LEGACY_CTX = 0x100;

// --- unroll-only globals (D.2 "Unroll only") ---
export const V0_WR_ENGINE_CHGROUP = 0x100;
export const V0_RD_ENGINE_CHGROUP = 0x104;
export const V0_WR_ENGINE_HSHAKE_CNT = 0x108; // 64-bit
export const V0_RD_ENGINE_HSHAKE_CNT = 0x120; // 64-bit
/** wr_ch{n}_pwr_en at 0x128 + 4·n, rd_ch{n}_pwr_en at 0x168 + 4·n (HDMA_COMPAT channel power). */
export const V0_WR_CH_PWR_EN = 0x128;
export const V0_RD_CH_PWR_EN = 0x168;
export const V0_CH_PWR_EN = 1 << 0;
/** Unrolled contexts: write channel n at 0x200 + n·0x200, read channel n at 0x300 + n·0x200. */
export const V0_UNROLL_CH_BASE = 0x200;
export const V0_UNROLL_CH_STRIDE = 0x200;
export const V0_UNROLL_RD_OFFSET = 0x100;

// --- per-channel context (same layout for wr/rd and for the legacy window) ---
export const V0_CH_CONTROL1 = 0x00;
export const V0_CH_CONTROL2 = 0x04;
export const V0_CH_TRANSFER_SIZE = 0x08;
export const V0_CH_SAR_LO = 0x0c;
export const V0_CH_SAR_HI = 0x10;
export const V0_CH_DAR_LO = 0x14;
export const V0_CH_DAR_HI = 0x18;
/** LLP is not 64-bit aligned: the driver uses two 32-bit writes (D.2). */
export const V0_CH_LLP_LO = 0x1c;
export const V0_CH_LLP_HI = 0x20;
export const V0_CH_CTX_SIZE = 0x24;

// ch_control1 bits (D.2); the low five are also the LL element control bits (D.3).
export const V0_CTRL1_CB = 1 << 0;
export const V0_CTRL1_TCB = 1 << 1;
export const V0_CTRL1_LLP = 1 << 2;
export const V0_CTRL1_LIE = 1 << 3;
export const V0_CTRL1_RIE = 1 << 4;
export const V0_CTRL1_CS_SHIFT = 5;
export const V0_CTRL1_CS_MASK = 0x3 << V0_CTRL1_CS_SHIFT;
export const V0_CTRL1_CCS = 1 << 8;
export const V0_CTRL1_LLE = 1 << 9;
export const V0_CTRL1_FUNC_NUM_SHIFT = 12;
export const V0_CTRL1_FUNC_NUM_MASK = 0x1f << V0_CTRL1_FUNC_NUM_SHIFT;

/** Channel status values of ch_control1 CS (eDMA) and ch_stat (HDMA): 1 running, 3 stopped/done. */
export const CS_RUNNING = 1;
/** "other → treated as error/halted" (D.2); the databook's halted value is 2 (G). */
export const CS_HALTED = 2;
export const CS_STOPPED = 3;

/** Direction-indexed view of the eDMA v0 global registers. */
export interface V0DirRegs {
  engineEn: number;
  doorbell: number;
  intStatus: number;
  intMask: number;
  intClear: number;
  errStatus: number;
  doneImwr: number;
  abortImwr: number;
  imwrData: number;
  llErrEn: number;
  chPwrEn: number;
}

export const V0_DIR: Readonly<Record<EdmaDir, V0DirRegs>> = {
  write: {
    engineEn: V0_WR_ENGINE_EN, doorbell: V0_WR_DOORBELL, intStatus: V0_WR_INT_STATUS, intMask: V0_WR_INT_MASK,
    intClear: V0_WR_INT_CLEAR, errStatus: V0_WR_ERR_STATUS, doneImwr: V0_WR_DONE_IMWR, abortImwr: V0_WR_ABORT_IMWR,
    imwrData: V0_WR_IMWR_DATA, llErrEn: V0_WR_LL_ERR_EN, chPwrEn: V0_WR_CH_PWR_EN,
  },
  read: {
    engineEn: V0_RD_ENGINE_EN, doorbell: V0_RD_DOORBELL, intStatus: V0_RD_INT_STATUS, intMask: V0_RD_INT_MASK,
    intClear: V0_RD_INT_CLEAR, errStatus: V0_RD_ERR_STATUS, doneImwr: V0_RD_DONE_IMWR, abortImwr: V0_RD_ABORT_IMWR,
    imwrData: V0_RD_IMWR_DATA, llErrEn: V0_RD_LL_ERR_EN, chPwrEn: V0_RD_CH_PWR_EN,
  },
};

/** Offset of an unrolled channel context (unroll and HDMA-compat layouts). */
export function v0UnrollCtx(dir: EdmaDir, ch: number): number {
  return V0_UNROLL_CH_BASE + ch * V0_UNROLL_CH_STRIDE + (dir === 'read' ? V0_UNROLL_RD_OFFSET : 0);
}

/** The chXY_imwr_data register of a channel and the shift of its 16-bit half (even 15:0, odd 31:16). */
export function v0ImwrDataReg(dir: EdmaDir, ch: number): { offset: number; shift: number } {
  return { offset: V0_DIR[dir].imwrData + 4 * (ch >> 1), shift: (ch & 1) * 16 };
}

/** The viewport_sel value selecting one channel (legacy layout). */
export function v0ViewportSel(dir: EdmaDir, ch: number): number {
  return ((ch & V0_VIEWPORT_CH_MASK) | (dir === 'read' ? V0_VIEWPORT_READ : 0)) >>> 0;
}

/** Per-direction channel power enable of channel n (unroll map; required by HDMA_COMPAT, D.1/D.4). */
export function v0ChPwrEn(dir: EdmaDir, ch: number): number {
  return V0_DIR[dir].chPwrEn + 4 * ch;
}

// ---------------------------------------------------------------------------------------------
// D.3 linked-list elements (identical for eDMA v0 and HDMA v0)
// ---------------------------------------------------------------------------------------------

export const LL_ELEM_SIZE = 24;
export const LL_CONTROL = 0x00;
export const LL_TRANSFER_SIZE = 0x04;
export const LL_SAR = 0x08; // u64 (lo +0x08, hi +0x0c)
export const LL_DAR = 0x10; // u64 (lo +0x10, hi +0x14)
/** Link element: +0x08 LLP pointer (u64) to the next list. */
export const LL_LINK_PTR = 0x08;
export const LL_CB = V0_CTRL1_CB;
export const LL_TCB = V0_CTRL1_TCB;
export const LL_LLP = V0_CTRL1_LLP;
export const LL_LIE = V0_CTRL1_LIE;
export const LL_RIE = V0_CTRL1_RIE;

// ---------------------------------------------------------------------------------------------
// D.5 HDMA native (v0): per channel c, write context at c·0x200, read context at c·0x200 + 0x100
// ---------------------------------------------------------------------------------------------

export const HDMA_CH_STRIDE = 0x200;
export const HDMA_RD_OFFSET = 0x100;
export const HDMA_CTX_SIZE = 0x100;

export const HDMA_CH_EN = 0x00;
export const HDMA_DOORBELL = 0x04;
export const HDMA_PREFETCH = 0x08;
export const HDMA_HANDSHAKE = 0x0c;
export const HDMA_LLP_LO = 0x10;
export const HDMA_LLP_HI = 0x14;
export const HDMA_CYCLE_SYNC = 0x18;
export const HDMA_TRANSFER_SIZE = 0x1c;
export const HDMA_SAR_LO = 0x20;
export const HDMA_SAR_HI = 0x24;
export const HDMA_DAR_LO = 0x28;
export const HDMA_DAR_HI = 0x2c;
export const HDMA_WATERMARK_EN = 0x30;
export const HDMA_CONTROL1 = 0x34;
export const HDMA_FUNC_NUM = 0x38;
export const HDMA_QOS = 0x3c;
export const HDMA_CH_STAT = 0x80;
export const HDMA_INT_STAT = 0x84;
export const HDMA_INT_SETUP = 0x88;
export const HDMA_INT_CLEAR = 0x8c;
export const HDMA_MSI_STOP_LO = 0x90;
export const HDMA_MSI_STOP_HI = 0x94;
export const HDMA_MSI_WATERMARK_LO = 0x98;
export const HDMA_MSI_WATERMARK_HI = 0x9c;
export const HDMA_MSI_ABORT_LO = 0xa0;
export const HDMA_MSI_ABORT_HI = 0xa4;
export const HDMA_MSI_MSGDATA = 0xa8;

export const HDMA_CH_EN_BIT = 1 << 0;
export const HDMA_DOORBELL_START = 1 << 0;
/** cycle_sync: b0 consumer cycle bit, b1 consumer cycle state (CCS). */
export const HDMA_CYCLE_BIT = 1 << 0;
export const HDMA_CYCLE_STATE = 1 << 1;
export const HDMA_CONTROL1_LINKLIST_EN = 1 << 0;
/** ch_stat bits 1:0 (1 running, 3 done). */
export const HDMA_CH_STAT_MASK = 0x3;
/** int_stat / int_clear: b0 STOP (done), b1 watermark (databook, unused by Linux), b2 ABORT. */
export const HDMA_INT_STOP = 1 << 0;
export const HDMA_INT_WATERMARK = 1 << 1;
export const HDMA_INT_ABORT = 1 << 2;
/** int_setup: masks b0 stop / b1 watermark / b2 abort; enables b3 remote stop, b4 local stop, b5 remote abort, b6 local abort. */
export const HDMA_SETUP_STOP_MASK = 1 << 0;
export const HDMA_SETUP_WATERMARK_MASK = 1 << 1;
export const HDMA_SETUP_ABORT_MASK = 1 << 2;
export const HDMA_SETUP_RSIE = 1 << 3;
export const HDMA_SETUP_LSIE = 1 << 4;
export const HDMA_SETUP_RAIE = 1 << 5;
export const HDMA_SETUP_LAIE = 1 << 6;
/** func_num: PF number in bits 7:0 (seed-series 5). */
export const HDMA_FUNC_NUM_MASK = 0xff;

/** Offset of an HDMA native channel context (D.5). */
export function hdmaCtx(dir: EdmaDir, ch: number): number {
  return ch * HDMA_CH_STRIDE + (dir === 'read' ? HDMA_RD_OFFSET : 0);
}

// ---------------------------------------------------------------------------------------------
// Register window sizes
// ---------------------------------------------------------------------------------------------

/**
 * The register window an engine of this layout occupies. Unroll / HDMA-compat: the 8 KiB EDDA
 * window (D.2). HDMA native: 8 channels need 0x1000 but AMD MDB maps 8 KiB (D.5), so at least
 * 0x2000, growing to channels·0x200 for the 64-channel patch. Legacy: the global block plus the
 * viewport window (0x000..0x124) — the emulator's choice is 0x200.
 */
export function registerWindowSize(mf: EdmaMapFormat, wrChannels: number, rdChannels: number): number {
  switch (mf) {
    case 'legacy':
      return 0x200;
    case 'unroll':
    case 'hdma-compat':
      return Math.max(0x2000, V0_UNROLL_CH_BASE + Math.max(wrChannels, rdChannels) * V0_UNROLL_CH_STRIDE);
    case 'hdma-native':
      return Math.max(0x2000, Math.max(wrChannels, rdChannels) * HDMA_CH_STRIDE);
  }
}
