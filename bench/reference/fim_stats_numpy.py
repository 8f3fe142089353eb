#!/usr/bin/env python3
"""The numpy script a user would write instead of `fimverify fim-stats` (variant regression).

It does the same work as
    fimverify fim-stats --activation A --depth L --width M --samples T --outputs C --sigma-w2 X --sigma-b2 Y --trials K
: mean-field order parameters by quadrature and Theorem 3.1's predictions m, s, lambda_max; per trial a random MLP
(W^l ~ N(0, sigma_w^2/M_{l-1}), b^l ~ N(0, sigma_b^2)), T Gaussian inputs, the forward pass, the backward signals of all C*T
(output, sample) rows, the C*T x C*T dual of the FIM, (1/T) sum_l (Delta_l Delta_l^T) o (H_{l-1} H_{l-1}^T + 1), all its
eigenvalues, m, s, the mean of the top C, and the claim lambda_C > 2 lambda_{C+1}. Its random numbers are numpy's (PCG64 and
the ziggurat), so measured values agree with fimverify's statistically, not digit for digit; the predictions agree to the
quadrature's accuracy (about 1e-9).

Run (Debian's numpy; see bench/reference/README.md for the BLAS it uses):
    /usr/bin/python3 bench/reference/fim_stats_numpy.py --activation tanh --depth 3 --width 2000 --samples 100 --outputs 10 \
        --sigma-w2 3 --sigma-b2 0.64 --trials 1
"""
import argparse
import sys
import time

import numpy as np

ACTIVATIONS = {
    "tanh": (np.tanh, lambda u: 1.0 - np.tanh(u) ** 2),
    "linear": (lambda u: u, lambda u: np.ones_like(u)),
}


def gaussian_rule(n, half_width=10.0):
    """Nodes and weights for E[f(z)], z ~ N(0, 1): the trapezoid rule on [-10, 10] (exponentially accurate for smooth f, hence
    only smooth activations here;
    Gauss-Hermite stalls for tanh at q ~ 3 because of its poles near the real axis)."""
    z = np.linspace(-half_width, half_width, n)
    w = np.exp(-z * z / 2) / np.sqrt(2 * np.pi) * (z[1] - z[0])
    return z, w


def order_parameters(phi, dphi, depth, sw, sb, nodes=1201):
    """q, q-hat and q-tilde layer by layer (MATH.md section 2), as docs/mean-field.md states them."""
    z, w = gaussian_rule(nodes)
    zz1, zz2 = np.meshgrid(z, z, indexing="ij")
    ww = np.outer(w, w)

    def one(f, q):
        return np.sum(w * f(np.sqrt(q) * z))

    def two(f, a, b):
        c = np.clip(b / a, -1.0, 1.0)
        u = np.sqrt(a) * zz1
        v = np.sqrt(a) * (c * zz1 + np.sqrt(1 - c * c) * zz2)
        return np.sum(ww * f(u) * f(v))

    q1, q2, h1, h2 = [np.nan] * (depth + 1), [np.nan] * (depth + 1), [np.nan] * (depth + 1), [np.nan] * (depth + 1)
    t1, t2 = [np.nan] * (depth + 1), [np.nan] * (depth + 1)
    h1[0], h2[0] = 1.0, 0.0
    for l in range(1, depth + 1):
        q1[l], q2[l] = sw * h1[l - 1] + sb, sw * h2[l - 1] + sb
        if l < depth:
            h1[l] = one(lambda x: phi(x) ** 2, q1[l])
            h2[l] = two(phi, q1[l], q2[l])
    t1[depth], t2[depth] = 1.0, 1.0
    for l in range(depth - 1, 0, -1):
        t1[l] = sw * t1[l + 1] * one(lambda x: dphi(x) ** 2, q1[l])
        t2[l] = sw * t2[l + 1] * two(dphi, q1[l], q2[l])
    alpha = depth - 1.0  # all width ratios 1
    k1 = sum(h1[l - 1] * t1[l] for l in range(1, depth + 1)) / alpha
    k2 = sum(h2[l - 1] * t2[l] for l in range(1, depth + 1)) / alpha
    return alpha, k1, k2


def trial(rng, phi, dphi, depth, m, samples, outputs, sw, sb):
    widths = [m] * depth + [outputs]
    weights = [rng.standard_normal((widths[l], widths[l - 1])) * np.sqrt(sw / widths[l - 1]) for l in range(1, depth + 1)]
    biases = [rng.standard_normal(widths[l]) * np.sqrt(sb) for l in range(1, depth + 1)]
    x = rng.standard_normal((samples, widths[0]))
    hs, us = [x], [None]
    for l in range(1, depth + 1):
        u = hs[-1] @ weights[l - 1].T + biases[l - 1]
        us.append(u)
        hs.append(phi(u) if l < depth else u)
    # Backward signals of every (output k, sample t) row r = k*T + t: Delta_L = e_k, Delta_l = (Delta_{l+1} W^{l+1}) o phi'(U^l).
    delta = np.repeat(np.eye(outputs), samples, axis=0)
    dual = np.zeros((outputs * samples, outputs * samples))
    for l in range(depth, 0, -1):
        if l < depth:
            delta = (delta @ weights[l]) * np.tile(dphi(us[l]), (outputs, 1))
        hg = hs[l - 1] @ hs[l - 1].T
        dual += (delta @ delta.T) * (np.tile(hg, (outputs, outputs)) + 1.0)
    dual /= samples
    ev = np.linalg.eigvalsh(dual)[::-1]
    p = sum(widths[l] * widths[l - 1] + widths[l] for l in range(1, depth + 1))
    return ev.sum() / p, (ev ** 2).sum() / p, ev[:outputs].mean(), ev[outputs - 1] / ev[outputs] if len(ev) > outputs else None


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--activation", choices=sorted(ACTIVATIONS), required=True)
    a.add_argument("--depth", type=int, required=True)
    a.add_argument("--width", type=int, required=True)
    a.add_argument("--samples", type=int, required=True)
    a.add_argument("--outputs", type=int, required=True)
    a.add_argument("--sigma-w2", type=float, required=True)
    a.add_argument("--sigma-b2", type=float, required=True)
    a.add_argument("--trials", type=int, default=1)
    a.add_argument("--seed", type=int, default=1)
    o = a.parse_args()
    if o.depth < 2:
        sys.exit("the FIM statistics need at least one hidden layer (depth >= 2)")
    phi, dphi = ACTIVATIONS[o.activation]
    start = time.perf_counter()
    alpha, k1, k2 = order_parameters(phi, dphi, o.depth, o.sigma_w2, o.sigma_b2)
    T, C, M = o.samples, o.outputs, o.width
    predicted = (k1 * C / M, alpha * C * ((T - 1) / T * k2 ** 2 + k1 ** 2 / T), alpha * ((T - 1) / T * k2 + k1 / T) * M)
    rng = np.random.default_rng(o.seed)
    rows = [trial(rng, phi, dphi, o.depth, M, T, C, o.sigma_w2, o.sigma_b2) for _ in range(o.trials)]
    measured = np.mean([r[:3] for r in rows], axis=0)
    print(f"{o.activation}, L = {o.depth}, M = {M}, T = {T}, C = {C}, sigma_w2 = {o.sigma_w2}, sigma_b2 = {o.sigma_b2}, {o.trials} trial(s)")
    print(f"alpha = {alpha:.6g}, kappa1 = {k1:.10g}, kappa2 = {k2:.10g}")
    for name, p, m in zip(("mean", "secondMoment", "lambdaMax"), predicted, measured):
        print(f"  {name:<13} predicted {p:.6g}  measured {m:.6g}  ratio {m / p:.4f}")
    for k, r in enumerate(rows):
        if r[3] is not None:
            print(f"  {'PASS' if r[3] > 2 else 'FAIL'}  trial {k}: outliers separated (lambda_C > 2 lambda_(C+1)): ratio = {r[3]:.4g}")
    print(f"(compute {time.perf_counter() - start:.2f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
