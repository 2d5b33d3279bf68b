// SPDX-License-Identifier: Apache-2.0
// toe::rv32soc::Rv32Soc: the engine's control microcontroller at cycle level. A Verilated PicoRV32
// (rv32im, native memory interface) and the Verilated toe_engine (library toe_engine_lockstep: 16
// sessions, DataBytes 8, 4 KiB buffers) on one clock, with the memory map of
// firmware/target/toe_fw_soc.h:
//
//   0x0000_0000  64 KiB flash + 0x0001_0000 64 KiB RAM: one array, zero wait states, loaded from a
//                flat image (objcopy -O binary of the ELF, base 0). A store below 0x10000 stops the
//                run (flash is read-only).
//   0x4000_0000  8 KiB: the engine's firmware port (fw_*). fw_addr = the offset, fw_be = mem_wstrb on
//                a store (a byte or halfword store keeps its byte enables: the engine refuses them
//                except on TX_FRAME), 4'hF on a load. The request is held until fw_ready_o, the core
//                gets fw_rdata_o with fw_valid_o (2 cycles an access); fw_err_o counts in BUS_ERR.
//   0x4001_0000  the SoC registers (32-bit stores only; toe_fw_soc.h): TIME_LO / TIME_HI
//                (microseconds since the SoC's reset, cycles * us_per_cycle / cycles_per_us; a TIME_LO read latches
//                TIME_HI), BUS_ERR (rc), INTR (bit 0: fw_intr_o), CONSOLE (w: a character),
//                EXIT (w: stops the run with that code).
//   anything else, a fetch outside memory, a store to flash, a partial store to a SoC register, the
//   core's trap (illegal instruction, misaligned access, ecall/ebreak): the run stops with an error
//   (state() kError, error() says what and where, also printed on stderr). So does the cycle limit
//   (kCycleLimit).
//
// The engine runs from construction; the core is held in reset until start(), so a test programs
// the engine over the host port (host_read / host_write: the reg_* bus) first, as a host driver
// would before the microcontroller boots. Host accesses clock the whole SoC (the core keeps running)
// and work after the run has stopped (then the engine alone is clocked).
//
// The engine's streams: push_rx_frame queues a frame for s_axis_rx (DataBytes per beat, as
// tready allows); every frame leaving m_axis_tx (tready always 1) is kept in tx_frames(). The
// command stream (cmd_*) is idle; the event stream (evt_*, only used while the firmware's
// CTRL.EVQ_EN is 0) is always ready and kept in stream_events().
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "toe_fw_soc.h"

class VerilatedContext;
class Vpicorv32;
class Vtoe_engine;

namespace toe::model {
struct EngineConfig;
}

namespace toe::rv32soc {

// The map itself: firmware/target/toe_fw_soc.h, the firmware's own header.
inline constexpr uint32_t kMemBase = TOE_FW_SOC_FLASH_BASE;                        // flash, then RAM
inline constexpr uint32_t kRamBase = TOE_FW_SOC_RAM_BASE;
inline constexpr uint32_t kMemSize = TOE_FW_SOC_FLASH_SIZE + TOE_FW_SOC_RAM_SIZE;  // 64 KiB + 64 KiB
inline constexpr uint32_t kPortBase = TOE_FW_SOC_PORT_BASE;  // the engine's firmware port
inline constexpr uint32_t kPortSize = TOE_FW_SOC_PORT_SIZE;
inline constexpr uint32_t kRegsBase = TOE_FW_SOC_REGS_BASE;  // the SoC registers
inline constexpr uint32_t kRegTimeLo = TOE_FW_SOC_TIME_LO, kRegTimeHi = TOE_FW_SOC_TIME_HI,
                          kRegBusErr = TOE_FW_SOC_BUS_ERR, kRegIntr = TOE_FW_SOC_INTR,
                          kRegConsole = TOE_FW_SOC_CONSOLE, kRegExit = TOE_FW_SOC_EXIT,
                          kRegSeed = TOE_FW_SOC_SEED;
inline constexpr uint32_t kDataBytes = 8;  // the stream width of the engine build, bytes per beat

enum class RunState {
  kRunning,     // (or not started yet)
  kExited,      // the firmware wrote EXIT: exit_code()
  kError,       // an access outside the map, a store to flash, the core's trap...: error()
  kCycleLimit,  // cycles() reached the cycle limit
};
const char* to_string(RunState s);

// A frame from m_axis_tx and the cycle its last beat was taken.
struct TxFrame {
  std::vector<uint8_t> data;
  uint64_t cycle = 0;
};

// An event from the engine's evt_* stream (the firmware's events while its CTRL.EVQ_EN is 0).
struct StreamEvent {
  uint8_t type = 0, state = 0;
  uint32_t conn = 0, value = 0;
  uint16_t lport = 0;
  uint64_t cycle = 0;
};

struct Counters {
  uint64_t cycles = 0;        // clocks since the SoC's reset (the engine's)
  uint64_t core_cycles = 0;   // clocks since start()
  uint64_t fetches = 0;       // instruction fetches completed
  uint64_t loads = 0, stores = 0;              // data accesses completed (any region)
  uint64_t port_reads = 0, port_writes = 0;    // of them, on the firmware port
  uint64_t port_errors = 0;   // accesses the engine refused (fw_err_o), total; BUS_ERR counts the same
  uint64_t rx_frames = 0;     // frames fully taken by s_axis_rx
  uint64_t tx_frames = 0;     // frames fully sent on m_axis_tx
  uint64_t host_accesses = 0;
};

class Rv32Soc {
 public:
  // cycles_per_us: the SoC clock in MHz as the firmware sees it through TIME_LO/HI (>= 1).
  explicit Rv32Soc(uint32_t cycles_per_us = 100);
  ~Rv32Soc();
  Rv32Soc(const Rv32Soc&) = delete;
  Rv32Soc& operator=(const Rv32Soc&) = delete;

  // ---- set-up (before start()) ----------------------------------------------------------------
  // The flat image at address 0 (at most kMemSize bytes; the rest of memory is zero). false (and
  // *error) if it does not fit or the file cannot be read.
  bool load_image(const std::vector<uint8_t>& image, std::string* error = nullptr);
  bool load_image_file(const std::string& path, std::string* error = nullptr);
  void set_cycles_per_us(uint32_t n);
  // Time faster than the clock: TIME advances n microseconds a clock (>= 1; default 1). For runs
  // that wait on long firmware timers (2*MSL, keep-alive): the firmware's own reaction times are
  // then n times longer in its clock too. Cycle counts (the core's load) do not change.
  void set_us_per_cycle(uint32_t n);
  uint32_t us_per_cycle() const { return us_per_cycle_; }
  // The seed source behind SEED: each read returns the high 32 bits of the next splitmix64
  // output from `seed` (default 0x746f65636f7265, "toecore"), so a run is reproducible.
  void set_seed(uint64_t seed) { seed_state_ = seed; }
  uint32_t cycles_per_us() const { return cycles_per_us_; }
  // Stop with kCycleLimit once cycles() reaches `limit` (0: no limit). Default 2e9.
  void set_cycle_limit(uint64_t limit) { cycle_limit_ = limit; }
  // Copy every CONSOLE character to stderr as it is written (default: on iff the environment
  // variable TOE_RV32SOC_CONSOLE is set).
  void set_console_echo(bool on) { console_echo_ = on; }
  // Releases the core from reset (it has been held there, clocked, since construction).
  void start();
  bool started() const { return started_; }

  // ---- the engine's host port and streams -------------------------------------------------------
  // One access over reg_*: held until reg_ready_o, clocked until reg_valid_o. *err: reg_err_o.
  uint32_t host_read(uint32_t addr, bool* err = nullptr);
  bool host_write(uint32_t addr, uint32_t data, uint8_t be = 0xF);  // true unless refused
  // The engine's configuration over the host port (MAC, IPv4, MSS ... CTRL untouched), as
  // tests/lockstep/top/engine_lockstep.cpp programs it.
  void program_engine(const model::EngineConfig& c);

  void push_rx_frame(std::vector<uint8_t> frame);
  size_t rx_frames_pending() const { return rx_queue_.size(); }
  const std::vector<TxFrame>& tx_frames() const { return tx_frames_; }
  const std::vector<StreamEvent>& stream_events() const { return stream_events_; }

  // ---- running -----------------------------------------------------------------------------------
  // n clocks, fewer if the run stops. Returns state().
  RunState step(uint64_t n = 1);
  // Clocks until pred() (checked before every clock) is true: true then; false if the run stopped
  // or max_cycles passed first.
  bool run_until(const std::function<bool()>& pred, uint64_t max_cycles);
  // Clocks until SoC time reaches `us` microseconds (or the run stops). Returns state().
  RunState run_until_us(uint64_t us);

  RunState state() const { return state_; }
  bool running() const { return state_ == RunState::kRunning; }
  int exit_code() const { return exit_code_; }
  const std::string& error() const { return error_; }  // why the run stopped ("" while running / exited)
  const std::string& console() const { return console_; }
  const Counters& counters() const { return counters_; }
  uint64_t cycles() const { return counters_.cycles; }
  uint64_t now_us() const { return counters_.cycles * us_per_cycle_ / cycles_per_us_; }
  // The addresses of the last two instructions fetched (PicoRV32 may fetch the next instruction
  // before a load or store completes).
  uint32_t last_fetch() const { return last_fetch_; }
  uint32_t prev_fetch() const { return prev_fetch_; }
  bool fw_intr() const;

  // Memory (kMemBase .. kMemSize), little-endian, for a test's peeks and pokes.
  uint32_t peek32(uint32_t addr) const;
  void poke32(uint32_t addr, uint32_t value);

  // The Verilated models, for peeking at ports.
  Vtoe_engine& engine() { return *eng_; }
  Vpicorv32& core() { return *core_; }

 private:
  enum class Phase : uint8_t { kIdle, kRequest, kWait };
  struct HostAccess {
    Phase phase = Phase::kIdle;
    bool we = false, err = false;
    uint32_t addr = 0, wdata = 0, rdata = 0;
    uint8_t be = 0xF;
  };

  void tick();  // one clock of the whole SoC
  void stop(RunState s, const std::string& why);
  bool core_active() const { return started_ && state_ == RunState::kRunning; }
  // The core's memory request this cycle, from its registered outputs: sets *ready / *rdata, or
  // drives the firmware port. May stop the run.
  void serve_core(bool* ready, uint32_t* rdata);
  uint32_t soc_reg_read(uint32_t off);
  void soc_reg_write(uint32_t off, uint32_t value);
  uint32_t host_access(bool we, uint32_t addr, uint32_t wdata, uint8_t be, bool* err);

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vtoe_engine> eng_;
  std::unique_ptr<Vpicorv32> core_;
  std::vector<uint8_t> mem_;
  uint32_t cycles_per_us_;
  uint32_t us_per_cycle_ = 1;
  uint64_t cycle_limit_ = 2000000000ull;
  bool started_ = false;
  bool console_echo_;
  RunState state_ = RunState::kRunning;
  int exit_code_ = 0;
  std::string error_, console_;
  Counters counters_;
  uint32_t last_fetch_ = 0, prev_fetch_ = 0;

  // The firmware port's access in flight (the core's request, held until answered).
  Phase port_phase_ = Phase::kIdle;
  bool fw_req_ = false, fw_we_ = false;
  uint32_t fw_addr_ = 0, fw_wdata_ = 0;
  uint8_t fw_be_ = 0xF;
  uint32_t bus_err_ = 0;   // BUS_ERR: refusals since its last read
  uint32_t time_hi_ = 0;   // latched by a TIME_LO read
  uint64_t seed_state_ = 0x746f65636f7265ull;  // SEED's splitmix64 state

  HostAccess host_;

  std::deque<std::vector<uint8_t>> rx_queue_;
  size_t rx_pos_ = 0;
  std::vector<uint8_t> tx_cur_;
  std::vector<TxFrame> tx_frames_;
  std::vector<StreamEvent> stream_events_;
};

}  // namespace toe::rv32soc
