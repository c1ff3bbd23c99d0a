//! Audio analysis: the audio CNN's exact input (log-mel spectrogram), and later the CNN itself (ONNX)
//! and the DSP features.

pub mod cnn;
pub mod dsp;
pub mod job;
pub mod mel;
pub mod similar;
pub mod store;
pub mod track;
