/** Loading and saving model files: memory mapping, checked external data, atomic writes. */
package dev.bantam.onnx.io;
