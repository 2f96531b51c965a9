using System.Runtime.CompilerServices;
using RLKit.Tensors;

namespace RLKit.Autograd;

/// <summary>
/// One recorded op: its inputs, its output, and its backward rule. Each primitive op defines a small
/// subclass next to its forward computation.
/// </summary>
internal abstract class GradNode
{
    protected GradNode(string name, params Tensor[] inputs)
    {
        Name = name;
        Inputs = inputs;
    }

    /// <summary>The op's name, used in error messages and anomaly reports.</summary>
    public string Name { get; }

    /// <summary>The op's tensor inputs (some may not require gradients).</summary>
    public Tensor[] Inputs { get; private set; }

    /// <summary>The tensor this node produced.</summary>
    public Tensor Output { get; set; } = null!;

    /// <summary>True once <see cref="Free"/> has dropped the saved tensors.</summary>
    public bool Freed { get; private set; }

    /// <summary>Adds this op's contribution to each input's gradient, given the output gradient.</summary>
    public abstract void Backward(Tensor outputGrad);

    /// <summary>Drops references to saved tensors so the graph can be collected.</summary>
    public virtual void Free()
    {
        Inputs = [];
        Freed = true;
    }

    /// <summary>
    /// The buffer into which the gradient of <paramref name="input"/> accumulates, or null when it does not
    /// require a gradient. When <paramref name="overwrite"/> is true the buffer's contents are undefined and
    /// the caller must write every element; otherwise it must add.
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    internal static Tensor? GradBuffer(Tensor input, out bool overwrite)
    {
        overwrite = false;
        if (!input.RequiresGrad) return null;
        if (input.IsLeaf)
        {
            if (input.Grad is null)
            {
                input.Grad = Tensor.AllocatePersistent(input.ShapeArray());
                overwrite = true;
            }
            return input.Grad;
        }
        if (input.PendingGrad is null)
        {
            input.PendingGrad = new Tensor(BufferPool.Rent(input.Size, clear: false), input.ShapeRef) { Pooled = true };
            overwrite = true;
        }
        return input.PendingGrad;
    }

    /// <summary>Like <see cref="GradBuffer(Tensor, out bool)"/>, but always returns a buffer the caller adds into.</summary>
    [MethodImpl(HotPath.Optimized)]
    internal static Tensor? GradBufferForAdd(Tensor input)
    {
        var buffer = GradBuffer(input, out bool overwrite);
        if (overwrite) buffer!.AsSpan().Clear();
        return buffer;
    }

    /// <summary>Writes or adds <paramref name="contribution"/> (same shape as the input) into the input's gradient.</summary>
    [MethodImpl(HotPath.Optimized)]
    internal static void Accumulate(Tensor input, ReadOnlySpan<float> contribution)
    {
        var buffer = GradBuffer(input, out bool overwrite);
        if (buffer is null) return;
        if (overwrite) contribution.CopyTo(buffer.AsSpan());
        else TensorPrimitives.Add(buffer.AsReadOnlySpan(), contribution, buffer.AsSpan());
    }
}
