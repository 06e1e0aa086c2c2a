"""CartPole throughput: Lerax against gymnax's CartPole-v1, measured in the same run.

Both environments are stepped with random actions (the same sampler for both) inside one compiled `lax.scan` (vmapped over envs),
with auto-reset. Compilation is excluded: each function is run once before timing, then the best of
several timed calls is kept, alternating the two libraries so that both see the same machine load. The ratio printed is Lerax steps/s divided by gymnax steps/s (goal: >= 1.0).

Run: python bench/env_throughput.py   (needs the dev extras: pip install -e ".[dev]")
"""
import time

import equinox as eqx
import gymnax
import jax
import jax.numpy as jnp
import jax.random as jr

from lerax.env import CartPole


def lerax_runner(num_envs, num_steps):
    env = CartPole()

    @jax.jit
    def run(key):
        reset_key, scan_key = jr.split(key)
        states, _, _ = jax.vmap(env.reset)(key=jr.split(reset_key, num_envs))

        def one_step(states, step_key):
            action_key, env_key = jr.split(step_key)
            actions = jr.randint(action_key, (num_envs,), 0, 2)
            states, observations, _, _, _, _ = jax.vmap(env.step)(states, actions, key=jr.split(env_key, num_envs))
            return states, observations.sum()

        _, observation_sums = jax.lax.scan(one_step, states, jr.split(scan_key, num_steps))
        return observation_sums.sum()   # depends on every step, so XLA cannot skip the work

    return run


def gymnax_runner(num_envs, num_steps):
    env, params = gymnax.make("CartPole-v1")

    @jax.jit
    def run(key):
        reset_key, scan_key = jr.split(key)
        _, states = jax.vmap(env.reset, in_axes=(0, None))(jr.split(reset_key, num_envs), params)

        def one_step(states, step_key):
            action_key, env_key = jr.split(step_key)
            actions = jr.randint(action_key, (num_envs,), 0, 2)
            transition = jax.vmap(env.step, in_axes=(0, 0, 0, None))(jr.split(env_key, num_envs), states, actions, params)
            observations, states = transition[0], transition[1]   # (obs, state, reward, ...)
            return states, observations.sum()

        _, observation_sums = jax.lax.scan(one_step, states, jr.split(scan_key, num_steps))
        return observation_sums.sum()   # depends on every step, so XLA cannot skip the work

    return run


def best_time(run, seed):
    start = time.perf_counter()
    run(jr.key(seed)).block_until_ready()
    return time.perf_counter() - start


def compare(num_envs, num_steps, rounds=7):
    "Best-of-`rounds` steps/s for Lerax and gymnax, alternating the two so both see the same machine load."
    runs = {"lerax": lerax_runner(num_envs, num_steps), "gymnax": gymnax_runner(num_envs, num_steps)}
    for run in runs.values(): run(jr.key(0)).block_until_ready()     # compile
    best = {name: min(best_time(run, seed) for seed in range(1, 2)) for name, run in runs.items()}
    for seed in range(2, rounds + 1):
        for name, run in runs.items(): best[name] = min(best[name], best_time(run, seed))
    return {name: num_envs * num_steps / seconds for name, seconds in best.items()}


if __name__ == "__main__":
    ratios = []
    for num_envs, num_steps in [(1, 100_000), (1024, 2_000)]:
        rate = compare(num_envs, num_steps)
        ratios.append(rate["lerax"] / rate["gymnax"])
        print(f"{num_envs:>5} envs: lerax {rate['lerax']:>12,.0f} steps/s   gymnax {rate['gymnax']:>12,.0f} steps/s"
              f"   ratio {ratios[-1]:.2f}x")
    print(f"ratio (lerax / gymnax, worst case): {min(ratios):.2f}x  (goal >= 1.0x)")
