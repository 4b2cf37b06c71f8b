"""The rules that decide behaviour: pure functions over plain values."""
