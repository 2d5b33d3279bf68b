// SPDX-License-Identifier: Apache-2.0
// ModelPair: two EngineDevices back to back with a driver transport each (see model_pair.hpp).
#include "model_pair.hpp"

namespace toe::driver_test {

namespace {
constexpr int kMaxBusWait = 64;  // clocks an access may wait for reg_ready or reg_valid
}

ModelPair::ModelPair(const model::EngineParams& p) {
  for (int i = 0; i < 2; ++i) {
    dev_[size_t(i)] = std::make_unique<model::EngineDevice>(p);
    port_[size_t(i)] = Port{this, i, {&port_[size_t(i)], &ModelPair::read32, &ModelPair::write32, &ModelPair::wait,
                                      &ModelPair::now_us}};
  }
}

model::EngineDeviceIn ModelPair::idle_in(int i) const {
  const model::EngineDeviceOut& other = dev_[size_t(1 - i)]->outputs();
  model::EngineDeviceIn in;
  in.rx = other.tx;                     // the other device's frames, beat by beat
  in.tx_tready = other.rx_tready;       // and its back-pressure
  in.evt_ready = true;                  // no firmware: its events are dropped
  return in;
}

void ModelPair::step(int who, const Bus& bus) {
  std::array<model::EngineDeviceIn, 2> in{idle_in(0), idle_in(1)};
  if (who >= 0) {
    model::EngineDeviceIn& x = in[size_t(who)];
    x.reg_req = bus.req;
    x.reg_we = bus.we;
    x.reg_addr = bus.addr;
    x.reg_wdata = bus.wdata;
    x.reg_be = bus.be;
  }
  dev_[0]->clock(in[0]);
  dev_[1]->clock(in[1]);
  ++cycle_;
}

toe_bus_status_t ModelPair::access(int i, const Bus& bus, uint32_t* rdata) {
  model::EngineDevice& d = *dev_[size_t(i)];
  for (int n = 0; !d.outputs().reg_ready; ++n) {
    if (n > kMaxBusWait) return TOE_BUS_LINK_DOWN;
    step(-1, {});
  }
  step(i, bus);
  for (int n = 0; !d.outputs().reg_valid; ++n) {
    if (n > kMaxBusWait) return TOE_BUS_LINK_DOWN;
    step(-1, {});
  }
  if (rdata) *rdata = d.outputs().reg_rdata;
  return d.outputs().reg_err ? TOE_BUS_ERR : TOE_BUS_OK;
}

toe_bus_status_t ModelPair::read32(void* ctx, uint32_t offset, uint32_t* value) {
  auto* p = static_cast<Port*>(ctx);
  Bus b;
  b.req = true;
  b.addr = offset;
  return p->pair->access(p->index, b, value);
}

toe_bus_status_t ModelPair::write32(void* ctx, uint32_t offset, uint32_t value, uint8_t be) {
  auto* p = static_cast<Port*>(ctx);
  Bus b;
  b.req = true;
  b.we = true;
  b.addr = offset;
  b.wdata = value;
  b.be = be;
  return p->pair->access(p->index, b, nullptr);
}

toe_bus_status_t ModelPair::wait(void* ctx, uint32_t timeout_us) {
  auto* p = static_cast<Port*>(ctx);
  ModelPair& w = *p->pair;
  model::EngineDevice& d = *w.dev_[size_t(p->index)];
  uint64_t left = uint64_t(timeout_us) * kClockMhz;
  while (left > 0 && !d.outputs().intr) {
    if (w.dev_[0]->idle_settled() && w.dev_[1]->idle_settled() && left > 2) {
      // Nothing in flight on either side: the interrupt cannot rise; skip to the end.
      const std::array<model::EngineDeviceIn, 2> in{w.idle_in(0), w.idle_in(1)};
      w.skipped_ += w.dev_[0]->skip_idle(in[0], left);
      w.dev_[1]->skip_idle(in[1], left);
      w.cycle_ += left;
      break;
    }
    w.step(-1, {});
    --left;
  }
  return TOE_BUS_OK;
}

uint64_t ModelPair::now_us(void* ctx) {
  const auto* p = static_cast<Port*>(ctx);
  return p->pair->cycle_ / kClockMhz;
}

}  // namespace toe::driver_test
