// The login throttle's address groups and its count-before-the-hash rule (issue 11, defect 5).
import { expect, test } from "bun:test";
import { addressGroup, createLoginThrottle } from "../../server/admin/login-throttle.ts";

test("addresses group the way one attacker holds them", () => {
  expect(addressGroup("127.0.0.1")).toBe("127.0.0.0/8");
  expect(addressGroup("127.9.8.7")).toBe("127.0.0.0/8");
  expect(addressGroup("::ffff:127.0.0.2")).toBe("127.0.0.0/8");
  expect(addressGroup("::1")).toBe("::1");
  expect(addressGroup("192.168.1.20")).toBe("192.168.1.20");
  expect(addressGroup("::ffff:10.0.0.5")).toBe("10.0.0.5");
  expect(addressGroup("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
  expect(addressGroup("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
  expect(addressGroup("2001:db8::1")).toBe("2001:db8:0:0::/64");
  expect(addressGroup(undefined)).toBe("unknown");
});

test("parallel attempts are counted before the hash: 5 reach it, then the wait doubles, success clears", async () => {
  let now = 0;
  const throttle = createLoginThrottle(() => now);
  let hashed = 0;
  const wrong = async () => {
    hashed++;
    await Bun.sleep(5);
    return false;
  };
  const results = await Promise.allSettled(Array.from({ length: 50 }, () => throttle.attempt("a", wrong)));
  expect(hashed).toBe(5);
  expect(results.filter((r) => r.status === "rejected").length).toBe(45);
  // Another group is not held up.
  expect(await throttle.attempt("b", async () => true)).toBe(true);
  // After the first wait (1 s) one more try; a failure doubles the wait.
  expect(() => throttle.check("a")).toThrow("try again in 1 s");
  now += 1000;
  expect(await throttle.attempt("a", wrong)).toBe(false);
  expect(() => throttle.check("a")).toThrow("try again in 2 s");
  now += 2000;
  expect(await throttle.attempt("a", async () => true)).toBe(true);
  expect(() => throttle.check("a")).not.toThrow();
});
