#include "engine_fixture.hpp"

using namespace toe;
using namespace toe::test;

TEST_F(EngineTest, Smoke) {
  const uint32_t c = establish_passive();
  EXPECT_EQ(state(c), TcpState::ESTABLISHED);
}
