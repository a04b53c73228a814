_M64 = (1 << 64) - 1


def _splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & _M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return state, z ^ (z >> 31)


def _daskling_block(shape, seed, block, normal=False):
    """Block `block` (row-major number) of daskling's random array drawn with `seed`:
    xoshiro256++ seeded through SplitMix64 with seed ^ (block * 0x9E3779B97F4A7C15),
    each element (u >> 11) * 2**-53, in row-major order; normal: two such draws u1, u2
    per element, sqrt(-2 log(1 - u1)) * cos(2 pi u2)."""
    state = (seed ^ (block * 0x9E3779B97F4A7C15)) & _M64
    s = []
    for _ in range(4):
        state, z = _splitmix64(state)
        s.append(z)
    n = int(np.prod(shape, dtype=np.int64))
    draws = 2 * n if normal else n
    out = np.empty(draws)
    s0, s1, s2, s3 = s
    for i in range(draws):
        t = (s0 + s3) & _M64
        u = ((((t << 23) | (t >> 41)) & _M64) + s0) & _M64
        out[i] = (u >> 11) * 2.0**-53
        t = (s1 << 17) & _M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) | (s3 >> 19)) & _M64
    if normal:
        u1, u2 = out[0::2], out[1::2]
        out = np.sqrt(-2.0 * np.log(1.0 - u1)) * np.cos(2.0 * np.pi * u2)
    return out.reshape(shape)


def daskling_random(chunks, seed, normal=False):
    """A dask array with daskling's random numbers for `seed` and `chunks` (uniform in
    [0, 1), or standard normal)."""
    def block(block_info=None):
        info = block_info[None]
        loc, grid = info["chunk-location"], info["num-chunks"]
        number = 0
        for i, n in zip(loc, grid):
            number = number * n + i
        return _daskling_block(info["chunk-shape"], seed, number, normal)

    return da.map_blocks(block, chunks=chunks, dtype=float, meta=np.empty((0,) * len(chunks)))
