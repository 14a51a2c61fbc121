"""Pure domain code: value types, validators, rules and state machines. No UI, no database."""
