//! The v128 (SIMD) operators.
//!
//! Not translated yet: every SIMD operator is reported as unsupported, by
//! name, at its offset. v128 values can still flow through functions that
//! only move them (locals, params, globals, block params, `select`), always
//! typed `I8X16`; operators added here must keep that convention and
//! bitcast to their lane type and back.

use super::FuncTranslator;
use super::code::operator_name;
use crate::error::Result;
use wasmparser::Operator;

impl FuncTranslator<'_, '_> {
    /// Translates a SIMD operator; anything else is unsupported.
    pub(super) fn translate_simd_operator(&mut self, op: &Operator) -> Result<()> {
        Err(self.unsupported(operator_name(op)))
    }
}
