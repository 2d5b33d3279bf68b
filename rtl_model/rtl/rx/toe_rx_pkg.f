# SPDX-License-Identifier: Apache-2.0
# toe_rx_pkg: the receive segment's types.
toe_rx_pkg.sv
