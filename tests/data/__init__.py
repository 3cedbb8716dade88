"""Data modules the tests build their inputs from."""
