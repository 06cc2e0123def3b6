// Python bindings for the CUDA kernels in fused_ops_kernel.cu.
#include <torch/extension.h>

torch::Tensor scale_bias_relu_cuda(torch::Tensor x, double scale, double bias);
torch::Tensor sum_cuda(torch::Tensor x);

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("scale_bias_relu", &scale_bias_relu_cuda, "y = relu(x * scale + bias) (CUDA)");
  m.def("sum", &sum_cuda, "sum of all elements (CUDA, warp-shuffle reduction)");
}
