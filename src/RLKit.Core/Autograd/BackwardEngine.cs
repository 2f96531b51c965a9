using RLKit.Tensors;

namespace RLKit.Autograd;

/// <summary>Runs reverse-mode differentiation over the graph hanging off one tensor.</summary>
internal static class BackwardEngine
{
    [ThreadStatic] private static int t_stamp;
    [ThreadStatic] private static List<Tensor>? t_order;
    [ThreadStatic] private static Stack<(Tensor Tensor, int NextInput)>? t_stack;

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

        if (root.IsLeaf)
        {
            AddInto(LeafGrad(root), gradient);
            return;
        }

        var order = TopologicalOrder(root);
        bool ownsSeed = gradient is null;
        root.PendingGrad = gradient ?? new Tensor(BufferPool.Rent(1, clear: false), root.ShapeRef) { Pooled = true };
        if (ownsSeed) root.PendingGrad.AsSpan()[0] = 1f;

        bool anomaly = GradMode.IsAnomalyDetectionEnabled;
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
                if (anomaly) CheckFinite(grad, node.Name);
                node.Backward(grad);
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

    internal static void CheckFinite(Tensor tensor, string opName)
    {
        var data = tensor.AsReadOnlySpan();
        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
                throw new AnomalyException(opName,
                    $"Anomaly detected: the gradient flowing into the backward of '{opName}' contains {data[i]} at flat index {i} (shape {Tensor.ShapeString(tensor.Shape)}).");
        }
    }
}
