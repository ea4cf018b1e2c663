;; The gallery's hot loop in WebAssembly SIMD: for every enrolled row, its dot product with the probe,
;; four lanes at a time, two vectors per step; the best per owner kept in `best` (f32).
;; Memory layout is the caller's: matrix (rows × dims f32), owners (rows i32), probe (dims f32), best
;; (people f32, filled with -Infinity by the caller). dims must be a multiple of 8.
;; Compiled into matcher-bytes.ts by `npm run build:matcher`; a unit test checks the two agree.
(module
  (memory (export "memory") 1)
  (func (export "bestDots") (param $m i32) (param $rows i32) (param $dims i32) (param $owners i32) (param $probe i32) (param $best i32)
    (local $row i32) (local $i i32) (local $acc v128) (local $rowBytes i32) (local $p i32) (local $q i32) (local $end i32) (local $dot f32) (local $slot i32)
    (local.set $rowBytes (i32.shl (local.get $dims) (i32.const 2)))
    (block $done
      (loop $rows_loop
        (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $p (local.get $m))
        (local.set $q (local.get $probe))
        (local.set $end (i32.add (local.get $m) (local.get $rowBytes)))
        (loop $dot_loop
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $p)) (v128.load (local.get $q)))))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $q)))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $q (i32.add (local.get $q) (i32.const 32)))
          (br_if $dot_loop (i32.lt_u (local.get $p) (local.get $end))))
        (local.set $dot (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (local.set $slot (i32.add (local.get $best) (i32.shl (i32.load (i32.add (local.get $owners) (i32.shl (local.get $row) (i32.const 2)))) (i32.const 2))))
        (if (f32.gt (local.get $dot) (f32.load (local.get $slot)))
          (then (f32.store (local.get $slot) (local.get $dot))))
        (local.set $m (local.get $end))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows_loop)))))
