namespace RLKit.Envs.Grid;

/// <summary>The four grid directions, in the order MiniGrid uses (x grows right, y grows down).</summary>
internal enum GridDirection
{
    Right = 0,
    Down = 1,
    Left = 2,
    Up = 3,
}

/// <summary>Offsets and rotations of <see cref="GridDirection"/>.</summary>
internal static class GridDirections
{
    /// <summary>Column change of one move in <paramref name="direction"/>.</summary>
    public static int Dx(GridDirection direction) => direction switch
    {
        GridDirection.Right => 1,
        GridDirection.Left => -1,
        _ => 0,
    };

    /// <summary>Row change of one move in <paramref name="direction"/>.</summary>
    public static int Dy(GridDirection direction) => direction switch
    {
        GridDirection.Down => 1,
        GridDirection.Up => -1,
        _ => 0,
    };

    /// <summary>The direction after a 90° counter-clockwise turn (as seen on screen, y down).</summary>
    public static GridDirection TurnLeft(GridDirection direction) => (GridDirection)(((int)direction + 3) & 3);

    /// <summary>The direction after a 90° clockwise turn.</summary>
    public static GridDirection TurnRight(GridDirection direction) => (GridDirection)(((int)direction + 1) & 3);
}
