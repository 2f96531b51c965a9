// System.Numerics.Tensors defines a type named Tensor; import only TensorPrimitives.
global using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
