using System.Runtime.CompilerServices;
using RLKit.Tensors;

namespace RLKit.Autograd;

/// <summary>Runs reverse-mode differentiation over the graph hanging off one tensor.</summary>
internal static class BackwardEngine
{
    [ThreadStatic] private static int t_stamp;
    [ThreadStatic] private static List<Tensor>? t_order;
    [ThreadStatic] private static Stack<(Tensor Tensor, int NextInput)>? t_stack;

    [MethodImpl(HotPath.Optimized)]
    public static void Run(Tensor root, Tensor? gradient, bool retainGraph)
    {
        if (gradient is null && root.Size != 1)
            throw new InvalidOperationException(
                $"Backward() without an explicit gradient needs a scalar output, but the shape is {Tensor.ShapeString(root.Shape)}. Pass the output gradient.");
        if (gradient is not null && !gradient.Shape.SequenceEqual(root.Shape))
            throw new ArgumentException(
                $"Backward: the gradient's shape {Tensor.ShapeString(gradient.Shape)} must equal the output's shape {Tensor.ShapeString(root.Shape)}.", nameof(gradient));
        if (!root.RequiresGrad)
            throw new InvalidOperationException("Backward: this tensor does not require gradients (no input of the computation has RequiresGrad set, or it was computed under GradMode.NoGrad()).");

        bool anomaly = GradMode.IsAnomalyDetectionEnabled;
        if (anomaly && gradient is not null) CheckOutputGradient(gradient);

        if (root.IsLeaf)
        {
            AddInto(LeafGrad(root), gradient);
            return;
        }

        var order = TopologicalOrder(root);
        bool ownsSeed = gradient is null;
        root.PendingGrad = gradient ?? new Tensor(BufferPool.Rent(1, clear: false), root.ShapeRef) { Pooled = true };
        if (ownsSeed) root.PendingGrad.AsSpan()[0] = 1f;

        try
        {
            // Gradients of a backward rule are never themselves recorded (no double backward).
            using var noGrad = GradMode.NoGrad();
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var tensor = order[i];
                var grad = tensor.PendingGrad;
                if (grad is null) continue;
                tensor.PendingGrad = null;
                var node = tensor.Node!;
                if (anomaly) CheckInputGradients(node, afterBackward: false);
                node.Backward(grad);
                if (anomaly) CheckInputGradients(node, afterBackward: true);
                if (grad.Pooled && (ownsSeed || !ReferenceEquals(grad, gradient)))
                {
                    BufferPool.Return(grad.Data);
                    grad.Release();
                }
                if (!retainGraph) node.Free();
            }
        }
        finally
        {
            foreach (var tensor in order)
            {
                var leftover = tensor.PendingGrad;
                tensor.PendingGrad = null;
                if (leftover is { Pooled: true } && !ReferenceEquals(leftover, gradient))
                {
                    BufferPool.Return(leftover.Data);
                    leftover.Release();
                }
            }
            order.Clear();
        }
    }

    private static Tensor LeafGrad(Tensor leaf) =>
        leaf.Grad ??= Tensor.AllocatePersistent(leaf.ShapeArray());

    private static void AddInto(Tensor target, Tensor? gradient)
    {
        if (gradient is null) target.AsSpan()[0] += 1f;
        else TensorPrimitives.Add(target.AsReadOnlySpan(), gradient.AsReadOnlySpan(), target.AsSpan());
    }

    /// <summary>Non-leaf tensors reachable from the root, inputs before the ops that consume them.</summary>
    [MethodImpl(HotPath.Optimized)]
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        int stamp = ++t_stamp;
        var order = t_order ??= new List<Tensor>();
        var stack = t_stack ??= new Stack<(Tensor, int)>();
        order.Clear();
        stack.Clear();
        root.VisitStamp = stamp;
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (tensor, next) = stack.Pop();
            var node = tensor.Node!;
            if (node.Freed)
                throw new InvalidOperationException(
                    $"Backward: the graph through '{node.Name}' was already freed by an earlier Backward(). Pass retainGraph: true to back-propagate twice.");
            var inputs = node.Inputs;
            if (next < inputs.Length)
            {
                stack.Push((tensor, next + 1));
                var input = inputs[next];
                if (input.Node is not null && input.RequiresGrad && input.VisitStamp != stamp)
                {
                    input.VisitStamp = stamp;
                    stack.Push((input, 0));
                }
            }
            else
            {
                order.Add(tensor);
            }
        }
        return order;
    }

    /// <summary>What <see cref="AnomalyException.OpName"/> holds when a non-finite gradient came from outside the graph.</summary>
    internal const string OutsideTheGraph = "Backward";

    /// <summary>The flat index of the first NaN or infinity in <paramref name="values"/>, or -1 when all are finite.</summary>
    internal static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }

    /// <summary>Anomaly mode: the output gradient the caller passed to <c>Backward</c> must be finite.</summary>
    private static void CheckOutputGradient(Tensor gradient)
    {
        var data = gradient.AsReadOnlySpan();
        int i = FirstNonFinite(data);
        if (i >= 0)
            throw new AnomalyException(OutsideTheGraph,
                $"Anomaly detected: the output gradient passed to Backward() contains {data[i]} at flat index {i} (shape {Tensor.ShapeString(gradient.Shape)}).");
    }

    /// <summary>
    /// Anomaly mode: the gradient buffers of <paramref name="node"/>'s inputs must be finite.
    /// </summary>
    /// <remarks>
    /// Before the node's backward (<paramref name="afterBackward"/> false) only leaf gradients are read: a non-finite
    /// value there was left by an earlier <c>Backward()</c>, and is reported as such rather than blamed on this op.
    /// After it, every buffer it wrote into (a leaf's <see cref="Tensor.Grad"/>, a non-leaf's pending gradient) is
    /// read; those buffers were finite before (checked after every earlier write, and before this backward), so a
    /// non-finite value was written by this backward, and the exception names this op.
    /// </remarks>
    private static void CheckInputGradients(GradNode node, bool afterBackward)
    {
        var inputs = node.Inputs;
        for (int k = 0; k < inputs.Length; k++)
        {
            var input = inputs[k];
            if (!input.RequiresGrad) continue;
            var buffer = input.IsLeaf ? input.Grad : afterBackward ? input.PendingGrad : null;
            if (buffer is null) continue;
            var data = buffer.AsReadOnlySpan();
            int i = FirstNonFinite(data);
            if (i < 0) continue;
            string shape = Tensor.ShapeString(input.Shape);
            if (!afterBackward)
                throw new AnomalyException(OutsideTheGraph,
                    $"Anomaly detected: before this Backward() ran, the leaf gradient (.Grad) of input {k} of '{node.Name}' (shape {shape}) already contained {data[i]} at flat index {i}; it was accumulated by an earlier Backward() (clear it with ZeroGrad()).");
            string which = input.IsLeaf ? "a leaf, so its .Grad" : $"the output of '{input.Node!.Name}'";
            throw new AnomalyException(node.Name,
                $"Anomaly detected: the backward of '{node.Name}' wrote {data[i]} at flat index {i} into the gradient of its input {k} ({which}, shape {shape}).");
        }
    }
}
