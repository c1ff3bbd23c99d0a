//! Audio analysis: DSP features (`dsp`: key, tempo, metre; loudness in `track`), the audio CNN
//! (`cnn`, ONNX through ort, on `mel`'s log-mel input), the background job (`job`) and its worker
//! processes (`worker`), stored results (`store`) and "more like this sound" (`similar`).

pub mod cnn;
pub mod dsp;
pub mod job;
pub mod mel;
pub mod similar;
pub mod store;
pub mod track;
pub mod worker;
