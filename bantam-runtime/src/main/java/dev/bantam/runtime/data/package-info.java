/** Data sources: IDX, image folders, text with Hugging Face tokenizers, npy/npz, synthetic inputs. */
package dev.bantam.runtime.data;
