# SPDX-License-Identifier: GPL-3.0-or-later
# tests/fake-usb.sh: build fake sysfs trees shaped like Linux's, for the
# adapter tests (source it after lib.sh).  No real USB needed.
#   fake_usb_add ROOT SYSNAME VID PID MAKER PRODUCT SERIAL DRIVER TTY [LATENCY]
#     TTY: ttyUSB0 (usb-serial driver), ttyACM0 (cdc_acm: tty/ttyACM0), or -
#     MAKER/PRODUCT/SERIAL: - when the device has none
#   fake_usb_remove ROOT SYSNAME
#   fake_usb_dev ROOT TTY TARGET   a device node in $ROOT/dev (a symlink)
fake_usb_add() {
	_r=$1 _s=$2
	_bus=${_s%%-*}
	_d="$_r/sys/devices/pci0000:00/0000:00:14.0/usb$_bus/$_s"
	_i="$_d/$_s:1.0"
	mkdir -p "$_i" "$_r/sys/bus/usb/devices" "$_r/sys/bus/usb/drivers/$8" "$_r/dev"
	mkdir -p "$_r/sys/devices/pci0000:00/0000:00:14.0/usb$_bus"
	echo 1d6b > "$_r/sys/devices/pci0000:00/0000:00:14.0/usb$_bus/idVendor"
	echo 0002 > "$_r/sys/devices/pci0000:00/0000:00:14.0/usb$_bus/idProduct"
	ln -sfn "../../../devices/pci0000:00/0000:00:14.0/usb$_bus" "$_r/sys/bus/usb/devices/usb$_bus"
	echo "$3" > "$_d/idVendor"
	echo "$4" > "$_d/idProduct"
	[ "$5" = - ] || echo "$5" > "$_d/manufacturer"
	[ "$6" = - ] || echo "$6" > "$_d/product"
	[ "$7" = - ] || echo "$7" > "$_d/serial"
	echo 00 > "$_i/bInterfaceNumber"
	case $9 in
	ttyUSB*)
		ln -sfn "../../../../../../bus/usb/drivers/$8" "$_i/driver"
		mkdir -p "$_i/$9/tty/$9"
		[ -z "${10:-}" ] || echo "${10}" > "$_i/$9/latency_timer" ;;
	tty*)
		ln -sfn "../../../../../../bus/usb/drivers/$8" "$_i/driver"
		mkdir -p "$_i/tty/$9" ;;
	esac
	ln -sfn "../../../devices/pci0000:00/0000:00:14.0/usb$_bus/$_s" "$_r/sys/bus/usb/devices/$_s"
	ln -sfn "../../../devices/pci0000:00/0000:00:14.0/usb$_bus/$_s/$_s:1.0" \
		"$_r/sys/bus/usb/devices/$_s:1.0"
}
fake_usb_remove() {
	_bus=${2%%-*}
	rm -rf "$1/sys/bus/usb/devices/$2" "$1/sys/bus/usb/devices/$2:1.0" \
		"$1/sys/devices/pci0000:00/0000:00:14.0/usb$_bus/$2"
}
fake_usb_dev() {
	mkdir -p "$1/dev"
	ln -sfn "$3" "$1/dev/$2"
}
