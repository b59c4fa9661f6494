package dev.bantam.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** ONNX Runtime's error text, as a user reads it in Bantam's one-line messages: what failed, not where in C++. */
class OrtMessageTest {

    /** Fuzz finding (campaign chunk 1, seed 3898363626503081287): a C++ template signature in the message. */
    @Test
    void aRunFailureNamesTheNodeAndWhatWentWrong() {
        assertEquals("Conv node 'a_nchwc': Integer overflow", InferenceSession.firstLine("Error code - ORT_FAIL - "
                + "message: Non-zero status code returned while running Conv node. Name:'a_nchwc' Status Message: "
                + "/onnxruntime_src/onnxruntime/core/common/safeint.h:17 static void SafeIntExceptionHandler<onnxruntime"
                + "::OnnxRuntimeException>::SafeIntOnOverflow() Integer overflow"));
        assertEquals("Reshape node 'r': The input tensor cannot be reshaped to the requested shape. Input shape:{2}, "
                + "requested shape:{3}", InferenceSession.firstLine("Error code - ORT_FAIL - message: Non-zero status "
                + "code returned while running Reshape node. Name:'r' Status Message: /onnxruntime_src/onnxruntime/core/"
                + "providers/cpu/tensor/reshape_helper.h:45 onnxruntime::ReshapeHelper::ReshapeHelper(const "
                + "onnxruntime::TensorShape&, onnxruntime::TensorShapeVector&, bool) input_shape_size == size was "
                + "false. The input tensor cannot be reshaped to the requested shape. Input shape:{2}, requested "
                + "shape:{3}"));
        assertEquals("Gather node 'g': indices element out of data bounds, idx=5 must be within the inclusive range "
                + "[-2,1]", InferenceSession.firstLine("Non-zero status code returned while running Gather node. "
                + "Name:'g' Status Message: indices element out of data bounds, idx=5 must be within the inclusive "
                + "range [-2,1]"));
    }

    @Test
    void loadFailuresKeepWhatTheySay() {
        assertEquals("Type (tensor(int32)) of input parameter (x) of operator (Relu) in node (r) is invalid.",
                InferenceSession.firstLine("Error code - ORT_INVALID_GRAPH - message: Load model from /tmp/m.onnx "
                        + "failed:This is an invalid model. Type Error: Type (tensor(int32)) of input parameter (x) of "
                        + "operator (Relu) in node (r) is invalid."));
    }
}
