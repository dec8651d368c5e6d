namespace CapsNet.Imaging;

/// <summary>
/// What <see cref="PictureBatchDecoder"/> made of a list of pictures: a result per picture in input order (null
/// for one that failed), and each failure's index and reason, in input order.
/// </summary>
internal sealed record PictureBatch<T>(T?[] Results, IReadOnlyList<(int Index, string Problem)> Problems)
    where T : class;
