// System.Numerics.Tensors also defines a type named Tensor; importing only TensorPrimitives keeps
// RLKit.Tensors.Tensor unambiguous everywhere in RLKit.Core.
global using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
