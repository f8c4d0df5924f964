"use strict";
(() => {
  // node_modules/preact/dist/preact.mjs
  var n;
  var t;
  var r;
  var u;
  var i;
  var f;
  var o;
  var e;
  var l;
  var c;
  var a;
  var s;
  var h = /* @__PURE__ */ Symbol.for("pv");
  var p = {};
  var y = [];
  var v = /^m(i|n|o|s|text|space)$/;
  var w = Array.isArray;
  var d = y.slice;
  var _ = Object.assign;
  function g(n2) {
    n2 && n2.parentNode && n2.remove();
  }
  function m(r3, u3, i3, f4, o4) {
    var e3 = { type: r3, props: u3, key: i3, ref: f4, __k: null, __: null, __b: 0, __e: null, __c: null, constructor: h, __v: o4 || ++t, __i: -1, __u: 0 };
    return !o4 && n.vnode && n.vnode(e3), e3;
  }
  function $(n2) {
    return n2.children;
  }
  function x(n2, t3) {
    this.props = n2, this.context = t3, this.__g = 0;
  }
  function S(n2, t3) {
    if (null == t3) return n2.__ && S(n2.__, n2.__i + 1);
    for (var r3; t3 < n2.__k.length; t3++) if ((r3 = n2.__k[t3]) && r3.__e) return r3.__e;
    return "function" != typeof n2.type || n2.props.__P ? null : S(n2);
  }
  function C(t3) {
    var r3, u3 = t3.__v, i3 = u3.__e, f4 = [], o4 = [], e3 = t3.__P;
    e3 && ((r3 = _({ constructor: h }, u3)).__v = u3.__v + 1, n.vnode && n.vnode(r3), z(e3, r3, u3, t3.__n, e3.namespaceURI, 32 & u3.__u ? [i3] : null, f4, i3 || S(u3), 32 & u3.__u, o4), r3.__v = u3.__v, r3.__.__k[r3.__i] = r3, E(f4, r3, o4), u3.__ = u3.__e = null, r3.__e != i3 && j(r3));
  }
  function j(n2) {
    if ((n2 = n2.__) && n2.__c && !n2.props.__P) return n2.__e = null, n2.__k.some(function(t3) {
      return t3 && (n2.__e = t3.__e);
    }), j(n2);
  }
  function L(t3) {
    (8 & t3.__g || (t3.__g |= 8, u.push(t3), f++)) && i == n.debounceRendering || ((i = n.debounceRendering) || queueMicrotask)(H);
  }
  function H() {
    try {
      for (var n2, t3 = 1; u.length; ) u.length > t3 && u.sort(o), n2 = u.shift(), t3 = u.length, 8 & n2.__g && C(n2);
    } finally {
      (f = u.length) && (i || queueMicrotask)(H);
    }
  }
  function I(n2, t3, r3, u3, i3, f4, o4, e3, l3, c3, a4) {
    var s3, h3, v3, w3, d3, _3, g3 = u3.__k || y, k2 = t3.length;
    for (l3 = q(r3, t3, g3, l3, k2), s3 = 0; s3 < k2; s3++) null != (v3 = r3.__k[s3]) && (h3 = ~v3.__i && g3[v3.__i] || p, v3.__i = s3, _3 = z(n2, v3, h3, i3, f4, o4, e3, l3, c3, a4), w3 = v3.__e, (h3.ref != v3.ref || 8 & h3.__u) && (h3.ref && G(h3.ref, null, v3, h3), v3.ref && a4.push(v3.ref, v3.__c || w3, v3)), d3 = d3 || w3, 4 & v3.__u ? (l3 = A(v3, l3, n2, !h3.__v), h3.__e && (h3.__e = null)) : "function" == typeof v3.type && void 0 !== _3 ? l3 = _3 : w3 && (l3 = w3.nextSibling), v3.__u &= -21);
    return r3.__e = d3, l3;
  }
  function q(n2, t3, r3, u3, i3) {
    var f4, o4, e3, l3, c3, a4, s3, p3, y3, v3 = r3.length, d3 = v3, _3 = 0, g3 = 0, k2 = n2.__k = Array(i3);
    for (f4 = 0; f4 < i3; f4++) null != (o4 = t3[f4]) && "boolean" != typeof o4 && "function" != typeof o4 ? ("object" != typeof o4 || o4.constructor === String ? o4 = k2[f4] = m(null, o4) : w(o4) ? o4 = k2[f4] = m($, { children: o4 }) : o4.constructor === h && o4.__b ? o4 = k2[f4] = m(o4.type, o4.props, o4.key, o4.ref, o4.__v) : k2[f4] = o4, l3 = f4 + _3, o4.__ = n2, o4.__b = n2.__b + 1, e3 = null, ~(c3 = o4.__i = P(o4, r3, l3, d3)) && (d3--, (e3 = r3[c3]) && (e3.__u |= 2)), e3 && e3.__v ? (o4.__u |= 16, c3 == l3 - 1 ? _3-- : c3 == l3 + 1 ? _3++ : c3 != l3 && (c3 > l3 ? _3-- : _3++, g3 = 1)) : (~c3 || (i3 > v3 ? _3-- : i3 < v3 && _3++), "function" != typeof o4.type && (o4.__u |= 4))) : k2[f4] = null;
    if (g3) {
      for (a4 = [], s3 = [], f4 = 0; f4 < i3; f4++) if ((o4 = k2[f4]) && 16 & o4.__u) {
        for (_3 = 0, p3 = a4.length; _3 < p3; ) a4[y3 = _3 + p3 >> 1] < o4.__i ? _3 = y3 + 1 : p3 = y3;
        a4[_3] = o4.__i, s3[f4] = _3 + 1;
      }
      for (_3 = a4.length; f4--; ) s3[f4] && (s3[f4] == _3 ? _3-- : k2[f4].__u |= 4);
    }
    if (d3) for (f4 = 0; f4 < v3; f4++) !(e3 = r3[f4]) || 2 & e3.__u || (e3.__e == u3 && (u3 = S(e3)), J(e3, e3));
    return u3;
  }
  function A(n2, t3, r3, u3) {
    var i3, f4, o4, e3;
    if ("function" == typeof n2.type) {
      if (n2.props.__P) return t3;
      if (i3 = n2.__k) for (f4 = 0; f4 < i3.length; f4++) i3[f4] && (i3[f4].__ = n2, t3 = A(i3[f4], t3, r3, false));
      return t3;
    }
    for (t3 && !t3.parentNode && (t3 = S(n2)) && !t3.parentNode && (t3 = null), o4 = n2.__e, e3 = t3; e3 && 8 == e3.nodeType; ) e3 = e3.nextSibling;
    for (o4 != e3 && (!u3 && r3.moveBefore && o4.parentNode ? r3.moveBefore(o4, t3) : r3.insertBefore(o4, t3 || null)), t3 = o4; (t3 = t3 && t3.nextSibling) && 8 == t3.nodeType && !t3.data.startsWith("$s"); ) ;
    return t3;
  }
  function P(n2, t3, r3, u3) {
    var i3, f4 = n2.key, o4 = n2.type, e3 = t3[r3], l3 = e3 && !(2 & e3.__u);
    if (null === e3 && null == f4 || l3 && f4 == e3.key && o4 == e3.type) return r3;
    if (u3 > (l3 ? 1 : 0)) {
      for (i3 = r3 - 1; i3 >= 0; i3--) if ((e3 = t3[i3]) && !(2 & e3.__u) && f4 == e3.key && o4 == e3.type) return i3;
      for (i3 = r3 + 1; i3 < t3.length; i3++) if ((e3 = t3[i3]) && !(2 & e3.__u) && f4 == e3.key && o4 == e3.type) return i3;
    }
    return -1;
  }
  function T(n2, t3, r3) {
    null == r3 && (r3 = ""), "-" == t3[0] ? n2.setProperty(t3, r3) : n2[t3] = r3;
  }
  function N(n2, t3, r3, u3, i3) {
    var f4, o4;
    if ("style" == t3) if ("string" == typeof r3) n2.style.cssText = r3;
    else {
      if ("string" == typeof u3 && (n2.style.cssText = u3 = ""), u3) for (t3 in u3) r3 && t3 in r3 || T(n2.style, t3);
      if (r3) for (t3 in r3) u3 && r3[t3] == u3[t3] || T(n2.style, t3, r3[t3]);
    }
    else if ("o" == t3[0] && "n" == t3[1]) "function" != typeof r3 && (r3 = null), "function" != typeof u3 && (u3 = null), (n2.__e || (n2.__e = {}))[t3] = r3, r3 && u3 || (o4 = a[t3] || (a[t3] = V(t3)), (n2.__a || (n2.__a = {}))[t3] = c, f4 = t3 != (t3 = t3.replace(l, "$1")), (t3 = t3.slice(2))[0] < "a" && (t3 = t3.toLowerCase()), r3 ? n2.addEventListener(t3, o4, f4) : n2.removeEventListener(t3, o4, f4));
    else {
      if ("http://www.w3.org/2000/svg" == i3) t3 = t3.replace(/xlink(H|:h)/, "h").replace(/sName$/, "s");
      else if ("width" != t3 && "height" != t3 && "href" != t3 && "list" != t3 && "form" != t3 && "tabIndex" != t3 && "download" != t3 && "rowSpan" != t3 && "colSpan" != t3 && "role" != t3 && "popover" != t3 && t3 in n2) try {
        return void (n2[t3] = null == r3 ? "" : r3);
      } catch (n3) {
      }
      if ("function" == typeof r3) return;
      null == r3 || false === r3 && "-" != t3[4] ? n2.removeAttribute(t3) : n2.setAttribute(t3, "popover" == t3 && 1 == r3 ? "" : r3);
    }
  }
  function V(t3) {
    return function(r3) {
      var u3 = this.__e;
      if (u3) {
        if (u3 = u3[t3], null == r3[e]) r3[e] = c++;
        else if (r3[e] < this.__a[t3]) return;
        return u3(n.event ? n.event(r3) : r3);
      }
    };
  }
  function z(t3, r3, u3, i3, f4, o4, e3, l3, c3, a4) {
    var s3, p3, v3, d3, k2, b2, m3, M, C3, j2, L2, H2, q2, A3, O, P2, T3, N2, V2 = r3.type;
    if (r3.constructor !== h) return null;
    128 & u3.__u && (c3 = 32 & u3.__u, s3 = u3.__c.__z) && (r3.__u |= c3, p3 = o4 = [], 8 == s3.nodeType ? l3 = B(s3, o4) : o4.push(s3), l3 = o4[0] || l3), (s3 = n.__b) && s3(r3);
    n: if ("function" == typeof V2) {
      v3 = e3.length;
      try {
        if (M = r3.props, C3 = (s3 = V2.prototype) && s3.render, j2 = (s3 = V2.contextType) && i3[s3.__c], L2 = s3 ? j2 ? j2.props.value : s3.__ : i3, (d3 = u3.__c) ? (r3.__c = d3, 2 & d3.__g && (d3.__g |= 1)) : (C3 ? r3.__c = d3 = new V2(M, L2) : (r3.__c = d3 = new x(M, L2), d3.constructor = V2, d3.render = K), j2 && j2.sub(d3), d3.state || (d3.state = {}), d3.__n = i3, d3.__g |= 8, d3.__h = [], d3.__k = []), C3 && (d3.__s || (d3.__s = d3.state), V2.getDerivedStateFromProps && (d3.__s == d3.state && (d3.__s = _({}, d3.__s)), _(d3.__s, V2.getDerivedStateFromProps(M, d3.__s)))), k2 = d3.props, b2 = d3.state, d3.__v = r3, u3.__c) {
          if (M !== k2 && C3 && !V2.getDerivedStateFromProps && d3.componentWillReceiveProps && d3.componentWillReceiveProps(M, L2), r3.__v == u3.__v && !(8 & d3.__g) || !(4 & d3.__g) && d3.shouldComponentUpdate && false === d3.shouldComponentUpdate(M, d3.__s, L2)) {
            r3.__v != u3.__v && (d3.props = M, d3.state = d3.__s, d3.__g &= -9), r3.__e = u3.__e, r3.__k = u3.__k, r3.__k.some(function(n2) {
              n2 && (n2.__ = r3);
            }), y.push.apply(d3.__h, d3.__k), d3.__k = [], d3.__h.length && e3.push(d3), l3 = S(u3);
            break n;
          }
          d3.componentWillUpdate && d3.componentWillUpdate(M, d3.__s, L2), C3 && d3.componentDidUpdate && d3.__h.push(function() {
            d3.componentDidUpdate(k2, b2, m3);
          });
        } else C3 && !V2.getDerivedStateFromProps && d3.componentWillMount && d3.componentWillMount(), C3 && d3.componentDidMount && d3.__h.push(d3.componentDidMount);
        d3.context = L2, d3.props = M, d3.__P = t3, d3.__g &= -5, H2 = n.__r, q2 = C3 ? 25 : 0;
        do {
          d3.__g &= -9, H2 && H2(r3), s3 = d3.render(d3.props, d3.state = d3.__s, d3.context);
        } while (8 & d3.__g && ++q2 < 25);
        C3 && (y.push.apply(d3.__h, d3.__k), d3.__k = []), d3.state = d3.__s, d3.getChildContext && (i3 = _({}, i3, d3.getChildContext())), C3 && u3.__c && d3.getSnapshotBeforeUpdate && (m3 = d3.getSnapshotBeforeUpdate(k2, b2)), A3 = s3 && s3.type === $ && null == s3.key ? s3.props.children : s3, M.__P && (s3 = l3, f4 = (t3 = M.__P).namespaceURI, c3 = o4 = null, u3.props && u3.props.__P != t3 && (u3.__k.some(function(n2) {
          n2 && J(n2, n2);
        }), u3.__k = null), l3 = u3.__k ? S(u3, 0) : null), l3 = I(t3, w(A3) ? A3 : [A3], r3, u3, i3, f4, o4, e3, l3, c3, a4), M.__P && (r3.__e = null, l3 = s3), r3.__u &= -161, p3 && p3.some(g), d3.__h.length && e3.push(d3), 1 & d3.__g && (d3.__g &= -4);
      } catch (t4) {
        if (e3.length = v3, r3.__v = null, c3 || o4) if (t4 && t4.then) {
          if (r3.__u |= 128 | c3, o4) {
            for (~(T3 = o4.indexOf(l3 || void 0)) || (T3 = o4.length); (N2 = o4[T3 - 1]) && 8 == N2.nodeType; ) T3--;
            for (; T3 < o4.length; T3++) if (N2 = o4[T3]) if (o4[T3] = null, O) {
              if (N2 == P2) break;
            } else {
              if (8 != N2.nodeType) break;
              N2.data.startsWith("$s") && (P2 = B(O = N2));
            }
          }
          if (!O) {
            for (; l3 && 8 == l3.nodeType && l3.nextSibling; ) l3 = l3.nextSibling;
            O = l3;
          }
          (s3 = B(O = r3.__c.__z || (r3.__c.__z = O))) ? (r3.__e = O, l3 = s3) : r3.__e = l3, l3 = l3 && l3.nextSibling;
        } else o4 && o4.some(g);
        else r3.__e = u3.__e;
        r3.__k || (r3.__k = u3.__k || []), t4 && t4.then || D(r3), n.__e(t4, r3, u3);
      }
    } else l3 = r3.__e = F(u3.__e, r3, u3, i3, f4, o4, e3, c3, a4, t3);
    return (s3 = n.diffed) && s3(r3), l3;
  }
  function B(n2, t3) {
    if (n2 && 8 == n2.nodeType && n2.data.startsWith("$s")) for (var r3 = 1; n2 = n2.nextSibling; ) {
      if (8 == n2.nodeType) {
        if (n2.data.startsWith("$s")) r3++;
        else if (n2.data.startsWith("/$s") && !--r3) return n2;
      }
      t3 && t3.push(n2);
    }
  }
  function D(n2) {
    n2 && (n2.__c && (n2.__c.__g |= 4), n2.__k && n2.__k.some(D));
  }
  function E(t3, r3, u3) {
    for (var i3 = 0; i3 < u3.length; ) G(u3[i3++], u3[i3++], u3[i3++]);
    n.__c && n.__c(r3, t3), t3.some(function(r4) {
      try {
        t3 = r4.__h, r4.__h = [], t3.some(function(n2) {
          n2.call(r4);
        });
      } catch (t4) {
        n.__e(t4, r4.__v);
      }
    });
  }
  function F(t3, r3, u3, i3, f4, o4, e3, l3, c3, a4) {
    var s3, h3, y3, _3, k2, b2, m3, M, $2 = u3.props || p, x2 = r3.props, C3 = r3.type;
    if ("svg" == C3 ? f4 = "http://www.w3.org/2000/svg" : "math" == C3 ? f4 = "http://www.w3.org/1998/Math/MathML" : f4 || (f4 = "http://www.w3.org/1999/xhtml"), o4) {
      for (s3 = 0; s3 < o4.length; s3++) if ((k2 = o4[s3]) && (C3 ? k2.localName == C3 : 3 == k2.nodeType)) {
        t3 = k2, o4[s3] = null;
        break;
      }
    }
    if (!t3) {
      if (M = a4.ownerDocument || document, !C3) return M.createTextNode(x2);
      t3 = M.createElementNS(f4, C3, x2.is ? x2 : a4), l3 && (n.__m && n.__m(r3, o4), l3 = false), o4 = null;
    }
    if (C3) {
      if (a4 = "template" == C3 && t3.content || t3, o4 = "textarea" == C3 && null != x2.defaultValue ? null : o4 && d.call(a4.childNodes), !l3 && o4) for ($2 = {}, s3 = 0; s3 < t3.attributes.length; s3++) $2[(k2 = t3.attributes[s3]).name] = k2.value;
      for (s3 in $2) k2 = $2[s3], "dangerouslySetInnerHTML" == s3 ? y3 = k2 : "children" == s3 || s3 in x2 || "value" == s3 && "defaultValue" in x2 || "checked" == s3 && "defaultChecked" in x2 || N(t3, s3, null, k2, f4);
      for (s3 in x2) k2 = x2[s3], "children" == s3 ? _3 = k2 : "dangerouslySetInnerHTML" == s3 ? h3 = k2 : "value" == s3 ? b2 = k2 : "checked" == s3 ? m3 = k2 : l3 && "function" != typeof k2 || $2[s3] === k2 || N(t3, s3, k2, $2[s3], f4);
      h3 ? (l3 || y3 && (h3.__html == y3.__html || h3.__html == t3.innerHTML) || (t3.innerHTML = h3.__html), r3.__k = []) : (y3 && (t3.textContent = ""), ("foreignObject" == C3 || "http://www.w3.org/1998/Math/MathML" == f4 && v.test(C3)) && (f4 = "http://www.w3.org/1999/xhtml"), I(a4, w(_3) ? _3 : [_3], r3, u3, i3, f4, o4, e3, o4 ? o4[0] : u3.__k && S(u3, 0), l3, c3), o4 && o4.some(g)), l3 && "textarea" != C3 || (s3 = "value", "progress" == C3 && null == b2 ? t3.removeAttribute(s3) : null == b2 || b2 === t3[s3] && ("progress" != C3 || b2) || N(t3, s3, b2, $2[s3], f4), s3 = "checked", null != m3 && m3 != t3[s3] && N(t3, s3, m3, $2[s3], f4));
    } else $2 === x2 || l3 && t3.data == x2 || (t3.data = x2);
    return t3;
  }
  function G(t3, r3, u3, i3) {
    try {
      "function" == typeof t3 ? r3 ? r3.__x = t3(r3) || 1 : i3 && (i3 = i3.__c || i3.__e) && (r3 = i3.__x) && (i3.__x = null, "function" == typeof r3 ? r3() : t3(null)) : t3.current = r3;
    } catch (t4) {
      n.__e(t4, u3);
    }
  }
  function J(t3, r3, u3) {
    var i3, f4, o4, e3;
    if (n.unmount && n.unmount(t3), !(i3 = t3.ref) || i3.current && i3.current != t3.__e || G(i3, null, r3, t3), i3 = t3.__c) {
      if (i3.componentWillUnmount) try {
        i3.componentWillUnmount();
      } catch (t4) {
        n.__e(t4, r3);
      }
      i3.__P = i3.__n = null;
    }
    if (i3 = t3.__k) for (e3 = 0; e3 < i3.length; e3++) i3[e3] && J(i3[e3], r3, "function" != typeof t3.type || u3 && !t3.props.__P);
    !u3 && (i3 = t3.__c) && (i3 = i3.__z) && (f4 = B(i3, o4 = [])) && (i3 == t3.__e && o4.some(g), g(f4), g(i3)), u3 || g(t3.__e), t3.__e = t3.__c = t3.__ = null;
  }
  function K(n2, t3, r3) {
    return this.constructor(n2, r3);
  }
  function Q(t3, r3) {
    var u3, i3, f4, o4;
    n.__ && n.__(t3, r3), 9 == r3.nodeType && (r3 = r3.documentElement), i3 = (u3 = t3 && 32 & t3.__u) ? null : r3.__k, r3.__k = m($, { children: [t3] }), f4 = [], o4 = [], z(r3, r3.__k, i3 || p, p, r3.namespaceURI, i3 ? null : r3.firstChild ? d.call(r3.childNodes) : null, f4, i3 ? i3.__e : r3.firstChild, u3, o4), E(f4, r3.__k, o4), r3.__k.props.children = null;
  }
  n = { __e: function(n2, t3, r3, u3) {
    for (var i3, o4, e3; t3 = t3.__; ) if ((i3 = t3.__c) && !(1 & i3.__g)) {
      i3.__g |= 4;
      try {
        if ((e3 = (o4 = i3.constructor) && o4.getDerivedStateFromError) && i3.setState(o4.getDerivedStateFromError(n2)), i3.componentDidCatch && (i3.componentDidCatch(n2, u3 || {}), e3 = 1), e3 && 8 & i3.__g) return void (i3.__g |= 2);
      } catch (t4) {
        n2 = t4;
      }
    }
    throw f = 0, n2;
  } }, t = 0, r = function(n2) {
    return null != n2 && n2.constructor === h;
  }, x.prototype.setState = function(n2, t3) {
    var r3 = this.__s;
    r3 && r3 != this.state || (r3 = this.__s = _({}, this.state)), "function" == typeof n2 && (n2 = n2(_({}, r3), this.props)), n2 && (_(r3, n2), this.__v && (t3 && this.__k.push(t3), L(this)));
  }, x.prototype.forceUpdate = function(n2) {
    this.__v && (this.__g |= 4, n2 && this.__h.push(n2), L(this));
  }, x.prototype.render = $, u = [], f = 0, o = function(n2, t3) {
    return n2.__v.__b - t3.__v.__b;
  }, e = /* @__PURE__ */ Symbol(), l = /(PointerCapture)$|Capture$/i, c = 0, a = {}, s = 0;

  // node_modules/preact/hooks/dist/hooks.mjs
  var t2;
  var r2;
  var u2;
  var i2;
  var o2 = Object.is;
  var f2 = 0;
  var c2 = [];
  var e2 = [];
  var a2 = n;
  var v2 = a2.__b;
  var l2 = a2.__r;
  var m2 = a2.diffed;
  var h2 = a2.__c;
  var s2 = a2.unmount;
  var p2 = a2.__;
  function y2(n2, t3) {
    a2.__h && a2.__h(r2, n2, f2 || t3), f2 = 0;
    var u3 = r2.__H || (r2.__H = { __: [], __h: [] });
    return n2 >= u3.__.length && u3.__.push({}), u3.__[n2];
  }
  function d2(n2) {
    return f2 = 1, _2(G2, n2);
  }
  function _2(n2, u3, i3) {
    var f4 = y2(t2++, 2);
    if (f4.t = n2, !f4.__c && (f4.__ = [i3 ? i3(u3) : G2(void 0, u3), function(n3) {
      var t3 = (f4.__N || f4.__)[0], r3 = f4.t(t3, n3);
      o2(t3, r3) || (f4.__N = [r3, f4.__[1]], f4.__c.setState({}));
    }], f4.__c = r2, !r2.__f)) {
      r2.__f = true;
      var c3 = r2.shouldComponentUpdate;
      r2.shouldComponentUpdate = function(n3, t3, r3) {
        var u4 = this.__H;
        if (!u4) return true;
        var i4 = false, f5 = this.props != n3;
        if (u4.__.some(function(n4) {
          n4.__N && (i4 = true, o2(n4.__[0], n4.__N[0]) || (f5 = true));
        }), c3) {
          var e3 = c3.call(this, n3, t3, r3);
          return i4 ? e3 || f5 : e3;
        }
        return !i4 || f5;
      };
    }
    return f4.__;
  }
  function A2(n2, u3) {
    var i3 = y2(t2++, 3);
    !a2.__s && E2(i3.__H, u3) && (i3.__P = true, i3.__ = n2, i3.u = u3, r2.__H.__h.push(i3));
  }
  function T2(n2) {
    return f2 = 5, w2(function() {
      return { current: n2 };
    }, []);
  }
  function w2(n2, r3) {
    var u3 = y2(t2++, 7);
    return E2(u3.__H, r3) && (u3.__ = n2(), u3.__H = r3), u3.__;
  }
  function b(n2, t3) {
    return f2 = 8, w2(function() {
      return n2;
    }, t3);
  }
  function g2() {
    var n2;
    do {
      for (; n2 = e2.shift(); ) try {
        C2(n2);
      } catch (t4) {
        a2.__e(t4, { __: (n2 = n2.__P) && n2.__v });
      }
      for (; n2 = c2.shift(); ) {
        var t3 = n2.__H;
        if (n2.__P && t3) try {
          t3.__h.some(C2), t3.__h.some(D2), t3.__h = [];
        } catch (r3) {
          t3.__h = [], a2.__e(r3, n2.__v);
        }
      }
    } while (e2.length);
  }
  a2.__b = function(n2) {
    r2 = null, v2 && v2(n2);
  }, a2.__ = function(n2, t3) {
    n2 && t3.__k && t3.__k.__m && (n2.__m = t3.__k.__m), p2 && p2(n2, t3);
  }, a2.__r = function(n2) {
    l2 && l2(n2), t2 = 0;
    var i3 = (r2 = n2.__c).__H;
    i3 && (u2 == r2 ? r2.__h = [] : (i3.__h.some(C2), i3.__h.some(D2), t2 = 0), i3.__h = [], i3.__.some(function(n3) {
      n3.__N && (n3.__ = n3.__N), n3.u = n3.__N = void 0;
    })), u2 = r2;
  }, a2.diffed = function(n2) {
    m2 && m2(n2);
    var t3 = n2.__c;
    t3 && t3.__H && (t3.__H.__h.length && B2(c2.push(t3)), t3.__H.__.some(function(n3) {
      n3.u && (n3.__H = n3.u);
    })), u2 = r2 = null;
  }, a2.__c = function(n2, t3) {
    t3.some(function(n3) {
      try {
        n3.__h.some(C2), n3.__h = n3.__h.filter(function(n4) {
          return !n4.__ || D2(n4);
        });
      } catch (t4) {
        n3.__h = [function() {
          throw t4;
        }];
      }
    }), h2 && h2(n2, t3);
  }, a2.unmount = function(n2) {
    s2 && s2(n2);
    var t3, r3, u3 = n2.__c;
    u3 && u3.__H && (u3.__H.__.some(function(u4) {
      try {
        if (u4.__P && u4.__c) {
          if (void 0 === r3) {
            for (r3 = n2.__; r3 && (!r3.__c || !r3.__c.__P); ) r3 = r3.__;
            r3 = r3 && r3.__c;
          }
          u4.__P = r3, B2(e2.push(u4));
        } else C2(u4);
      } catch (n3) {
        t3 = n3;
      }
    }), u3.__H = void 0, t3 && a2.__e(t3, u3.__v));
  };
  var k = "function" == typeof requestAnimationFrame;
  function z2(n2) {
    var t3, r3 = function() {
      clearTimeout(u3), k && cancelAnimationFrame(t3), setTimeout(n2);
    }, u3 = setTimeout(r3, 35);
    k && (t3 = requestAnimationFrame(r3));
  }
  function B2(n2) {
    1 != n2 && i2 == a2.requestAnimationFrame || ((i2 = a2.requestAnimationFrame) || z2)(g2);
  }
  function C2(n2) {
    var t3 = r2, u3 = n2.__c;
    "function" == typeof u3 && (n2.__c = void 0, u3()), r2 = t3;
  }
  function D2(n2) {
    var t3 = r2;
    n2.__c = n2.__(), r2 = t3;
  }
  function E2(n2, t3) {
    return !n2 || n2.length != t3.length || t3.some(function(t4, r3) {
      return !o2(t4, n2[r3]);
    });
  }
  function G2(n2, t3) {
    return "function" == typeof t3 ? t3(n2) : t3;
  }

  // src/routes.ts
  var PROVIDER_TABS = ["overview", "members", "roles", "clients", "events", "usage", "settings"];
  var CLIENT_TABS = ["overview", "members", "collections", "items", "groups", "policies", "events"];
  function query(s3) {
    const out = {};
    for (const [k2, v3] of new URLSearchParams(s3)) out[k2] = v3;
    return out;
  }
  function parseRoute(hash) {
    const raw = hash.replace(/^#/, "");
    const qi = raw.indexOf("?");
    const path = (qi < 0 ? raw : raw.slice(0, qi)) || "/";
    const q2 = query(qi < 0 ? "" : raw.slice(qi + 1));
    const parts = path.split("/").filter((p3) => p3 !== "").map(decodeURIComponent);
    switch (path) {
      case "/":
        return { name: "home" };
      case "/sign-in":
        return { name: "signIn" };
      case "/two-step":
        return { name: "twoStep", next: q2.next ?? "" };
      case "/account":
        return { name: "account" };
      case "/providers/setup-provider":
      case "/setup-provider":
        return { name: "setupProvider", q: q2 };
      case "/providers/accept-provider":
      case "/accept-provider":
        return { name: "acceptProvider", q: q2 };
      case "/accept-organization":
        return { name: "acceptOrg", q: q2 };
    }
    if (parts[0] === "p" && parts[1] !== void 0) {
      const tab = parts[2] ?? "overview";
      if (PROVIDER_TABS.includes(tab) && parts.length <= 4 && (parts[3] === void 0 || tab === "clients")) {
        const member = tab === "events" ? q2.member ?? null : null;
        return { name: "provider", providerId: parts[1], tab, clientId: parts[3] ?? null, member };
      }
    }
    if (parts[0] === "c" && parts[1] !== void 0 && parts.length <= 3) {
      const tab = parts[2] ?? "overview";
      if (CLIENT_TABS.includes(tab)) return { name: "client", organizationId: parts[1], tab };
    }
    return { name: "notFound", path };
  }

  // src/login.ts
  var MIN_MASTER_PASSWORD_LENGTH = 12;
  function newPasswordProblem(password, again) {
    if (password.length < MIN_MASTER_PASSWORD_LENGTH) {
      return `Use a master password of at least ${MIN_MASTER_PASSWORD_LENGTH} characters.`;
    }
    if (password !== again) return "The two passwords differ.";
    return null;
  }

  // src/agent-protocol.ts
  function portTransport(port) {
    return {
      post: (message) => port.postMessage(message),
      listen: (handler) => {
        port.addEventListener("message", (e3) => handler(e3.data));
        port.start();
      }
    };
  }
  var isObject = (x2) => typeof x2 === "object" && x2 !== null;
  var METHOD_LIST = {
    ping: true,
    status: true,
    login: true,
    sendEmailCode: true,
    register: true,
    unlock: true,
    lock: true,
    signOut: true,
    profile: true,
    api: true,
    apiWithPassword: true,
    ownFingerprint: true,
    setupProvider: true,
    providerFingerprints: true,
    confirmProviderMember: true,
    createClient: true,
    linkClient: true,
    launch: true,
    launched: true,
    orgFingerprints: true,
    confirmOrgMember: true,
    collections: true,
    saveCollection: true,
    items: true,
    saveItem: true,
    revealPassword: true,
    recoverAccount: true
  };
  var METHODS = new Set(Object.keys(METHOD_LIST));
  var AgentCallError = class extends Error {
    constructor(error) {
      super(error.message);
      this.error = error;
      this.name = "AgentCallError";
    }
    error;
    /** The server says the caller must turn on two-step login first. */
    get twoStepRequired() {
      return this.error.validationErrors !== null && "twoStepLoginRequired" in this.error.validationErrors;
    }
  };
  var AgentClient = class {
    constructor(transport) {
      this.transport = transport;
      transport.listen((message) => {
        if (!isObject(message) || typeof message.id !== "number") return;
        const waiter = this.pending.get(message.id);
        if (waiter === void 0) return;
        this.pending.delete(message.id);
        const response = message;
        if (response.ok) waiter.resolve(response.result);
        else waiter.reject(new AgentCallError(response.error));
      });
    }
    transport;
    nextId = 1;
    pending = /* @__PURE__ */ new Map();
    call(method, params) {
      const id = this.nextId++;
      return new Promise((resolve, reject) => {
        this.pending.set(id, { resolve: (r3) => resolve(r3), reject });
        this.transport.post({ id, method, params });
      });
    }
  };

  // node_modules/preact/jsx-runtime/dist/jsxRuntime.mjs
  var f3 = /* @__PURE__ */ Symbol.for("pv");
  var o3 = 0;
  function a3(t3, e3, n2, u3, a4, i3) {
    e3 || (e3 = {});
    var c3, l3, p3 = e3;
    if ("ref" in p3 && "function" != typeof t3) for (l3 in p3 = {}, e3) "ref" == l3 ? c3 = e3[l3] : p3[l3] = e3[l3];
    var s3 = { type: t3, props: p3, key: n2, ref: c3, __k: null, __: null, __b: 0, __e: null, __c: null, constructor: f3, __v: --o3, __i: -1, __u: 0 };
    return (a4 || i3) && (s3.__source = a4, s3.__self = i3), n.vnode && n.vnode(s3), s3;
  }

  // src/ui.tsx
  var client = null;
  function agentClient() {
    if (client === null) {
      const worker = new SharedWorker("agent.js", { name: "keyfleet-agent" });
      client = new AgentClient(portTransport(worker.port));
    }
    return client;
  }
  var sessionEndedListeners = /* @__PURE__ */ new Set();
  function onSessionEnded(l3) {
    sessionEndedListeners.add(l3);
    return () => sessionEndedListeners.delete(l3);
  }
  async function call(method, params) {
    try {
      return await agentClient().call(method, params);
    } catch (e3) {
      if (e3 instanceof AgentCallError) {
        if (e3.error.status === 401) for (const l3 of sessionEndedListeners) l3();
        else if (e3.twoStepRequired && !location.hash.startsWith("#/two-step")) {
          location.hash = `#/two-step?next=${encodeURIComponent(location.hash)}`;
        }
      }
      throw e3;
    }
  }
  var PROFILE_CHANGED = "keyfleet:profile-changed";
  function profileChanged() {
    dispatchEvent(new Event(PROFILE_CHANGED));
  }
  function useProfileVersion() {
    const [n2, setN] = d2(0);
    A2(() => {
      const bump = () => setN((x2) => x2 + 1);
      addEventListener(PROFILE_CHANGED, bump);
      return () => removeEventListener(PROFILE_CHANGED, bump);
    }, []);
    return n2;
  }
  function errText(e3) {
    return e3 instanceof Error ? e3.message : "Something went wrong.";
  }
  function useLoad(fn, key) {
    const [data, setData] = d2(void 0);
    const [error, setError] = d2(null);
    const [loading, setLoading] = d2(true);
    const [n2, setN] = d2(0);
    A2(() => {
      let live = true;
      setLoading(true);
      fn().then(
        (d3) => {
          if (!live) return;
          setData(d3);
          setError(null);
          setLoading(false);
        },
        (e3) => {
          if (!live) return;
          setError(e3);
          setLoading(false);
        }
      );
      return () => {
        live = false;
      };
    }, [key, n2]);
    const reload = b(() => setN((x2) => x2 + 1), []);
    return { data, error, loading, reload };
  }
  function usePaged(fetchPage, key) {
    const first = useLoad(() => fetchPage(null), key);
    const [extra, setExtra] = d2(null);
    const mine = extra !== null && extra.key === key ? extra : null;
    const token = mine !== null ? mine.token : first.data?.continuationToken ?? null;
    const items = first.data === void 0 ? void 0 : [...first.data.data, ...mine?.items ?? []];
    return {
      items,
      error: first.error,
      more: token === null || token === "" ? null : async () => {
        const next = await fetchPage(token);
        setExtra({ key, items: [...mine?.items ?? [], ...next.data], token: next.continuationToken ?? null });
      }
    };
  }
  function Table({ children }) {
    return /* @__PURE__ */ a3("div", { class: "table-scroll", children: /* @__PURE__ */ a3("table", { children }) });
  }
  function ErrorNote({ error }) {
    if (error === null || error === void 0 || error === "") return null;
    return /* @__PURE__ */ a3("p", { class: "error", role: "alert", children: typeof error === "string" ? error : errText(error) });
  }
  function Loading({ what }) {
    return /* @__PURE__ */ a3("p", { class: "note", role: "status", children: [
      "Loading ",
      what,
      "\u2026"
    ] });
  }
  var dialogSeq = 0;
  function Dialog({
    title,
    onClose,
    children
  }) {
    const ref = T2(null);
    const [id] = d2(() => `dialog-${++dialogSeq}`);
    A2(() => {
      const d3 = ref.current;
      if (d3 !== null && !d3.open) d3.showModal();
      return () => {
        if (d3 !== null && d3.open) d3.close();
      };
    }, []);
    return /* @__PURE__ */ a3(
      "dialog",
      {
        ref,
        "aria-labelledby": id,
        onCancel: (e3) => {
          e3.preventDefault();
          onClose();
        },
        children: [
          /* @__PURE__ */ a3("h2", { id, children: title }),
          children,
          /* @__PURE__ */ a3("button", { type: "button", class: "secondary close", onClick: onClose, children: "Close" })
        ]
      }
    );
  }
  function ActionForm({
    action,
    submit,
    busyText,
    children,
    label
  }) {
    const [busy, setBusy] = d2(false);
    const [error, setError] = d2(null);
    return /* @__PURE__ */ a3(
      "form",
      {
        "aria-label": label,
        onSubmit: (e3) => {
          e3.preventDefault();
          if (busy) return;
          setBusy(true);
          setError(null);
          action().then(
            () => setBusy(false),
            (err) => {
              setBusy(false);
              setError(err);
            }
          );
        },
        children: [
          children,
          /* @__PURE__ */ a3("button", { type: "submit", disabled: busy, children: busy ? busyText ?? "Working\u2026" : submit }),
          /* @__PURE__ */ a3(ErrorNote, { error })
        ]
      }
    );
  }
  var fieldSeq = 0;
  function Field({
    label,
    value,
    onInput,
    type = "text",
    required = false,
    autocomplete,
    readOnly = false,
    hint
  }) {
    const [id] = d2(() => `field-${++fieldSeq}`);
    return /* @__PURE__ */ a3($, { children: [
      /* @__PURE__ */ a3("label", { for: id, children: label }),
      /* @__PURE__ */ a3(
        "input",
        {
          id,
          ...{ type },
          value,
          required,
          readOnly,
          autocomplete: autocomplete ?? "off",
          "aria-describedby": hint === void 0 ? void 0 : `${id}-hint`,
          onInput: (e3) => onInput(e3.currentTarget.value)
        }
      ),
      hint === void 0 ? null : /* @__PURE__ */ a3("p", { class: "hint", id: `${id}-hint`, children: hint })
    ] });
  }
  function ActionButton({
    label,
    action,
    class: cls,
    ariaLabel
  }) {
    const [busy, setBusy] = d2(false);
    const [error, setError] = d2(null);
    return /* @__PURE__ */ a3($, { children: [
      /* @__PURE__ */ a3(
        "button",
        {
          type: "button",
          class: cls ?? "secondary",
          "aria-label": ariaLabel,
          disabled: busy,
          onClick: () => {
            setBusy(true);
            setError(null);
            action().then(
              () => setBusy(false),
              (e3) => {
                setBusy(false);
                setError(e3);
              }
            );
          },
          children: label
        }
      ),
      error === null ? null : /* @__PURE__ */ a3("span", { class: "error", role: "alert", children: errText(error) })
    ] });
  }
  function downloadText(fileName, text, type = "text/csv") {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a4 = document.createElement("a");
    a4.href = url;
    a4.download = fileName;
    document.body.append(a4);
    a4.click();
    a4.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1e4);
  }
  function deviceIdentifier() {
    let id = localStorage.getItem("keyfleet.deviceIdentifier");
    if (id === null) {
      id = crypto.randomUUID();
      localStorage.setItem("keyfleet.deviceIdentifier", id);
    }
    return id;
  }
  function CopyButton({ text, label }) {
    const [done, setDone] = d2(false);
    return /* @__PURE__ */ a3(
      "button",
      {
        type: "button",
        class: "secondary small",
        "aria-label": label,
        onClick: () => {
          navigator.clipboard?.writeText(text).then(
            () => setDone(true),
            () => setDone(false)
          );
        },
        children: done ? "Copied" : "Copy"
      }
    );
  }
  function formatDate(iso) {
    if (iso === null || iso === void 0) return "\u2014";
    const d3 = new Date(iso);
    return Number.isNaN(d3.getTime()) ? iso : d3.toLocaleString();
  }

  // src/webauthn.ts
  function b64urlToBytes(s3) {
    const std = s3.replace(/-/g, "+").replace(/_/g, "/");
    const bin = atob(std.padEnd(Math.ceil(std.length / 4) * 4, "="));
    const out = new Uint8Array(bin.length);
    for (let i3 = 0; i3 < bin.length; i3++) out[i3] = bin.charCodeAt(i3);
    return out;
  }
  function bytesToB64url(b2) {
    let bin = "";
    for (const x2 of new Uint8Array(b2)) bin += String.fromCharCode(x2);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function bytesToB64(b2) {
    let bin = "";
    for (const x2 of new Uint8Array(b2)) bin += String.fromCharCode(x2);
    return btoa(bin);
  }
  var obj = (x2) => typeof x2 === "object" && x2 !== null ? x2 : {};
  function unwrap(options) {
    const o4 = obj(options);
    return "publicKey" in o4 ? obj(o4.publicKey) : o4;
  }
  async function assertForLogin(options) {
    const o4 = unwrap(options);
    const allow = Array.isArray(o4.allowCredentials) ? o4.allowCredentials : [];
    const publicKey = {
      challenge: b64urlToBytes(String(o4.challenge)),
      allowCredentials: allow.map((c3) => ({
        type: "public-key",
        id: b64urlToBytes(String(obj(c3).id))
      })),
      userVerification: o4.userVerification ?? "discouraged"
    };
    if (typeof o4.rpId === "string") publicKey.rpId = o4.rpId;
    if (typeof o4.timeout === "number") publicKey.timeout = o4.timeout;
    const cred = await navigator.credentials.get({ publicKey });
    if (cred === null) throw new Error("No security key answered.");
    const r3 = cred.response;
    return JSON.stringify({
      id: cred.id,
      rawId: bytesToB64url(cred.rawId),
      type: cred.type,
      extensions: {},
      response: {
        authenticatorData: bytesToB64url(r3.authenticatorData),
        clientDataJson: bytesToB64url(r3.clientDataJSON),
        signature: bytesToB64url(r3.signature),
        userHandle: r3.userHandle === null ? null : bytesToB64url(r3.userHandle)
      }
    });
  }
  async function createForRegistration(options) {
    const o4 = unwrap(options);
    const user = obj(o4.user);
    const exclude = Array.isArray(o4.excludeCredentials) ? o4.excludeCredentials : [];
    const publicKey = {
      rp: obj(o4.rp),
      user: {
        id: b64urlToBytes(String(user.id)),
        name: String(user.name),
        displayName: String(user.displayName ?? user.name)
      },
      challenge: b64urlToBytes(String(o4.challenge)),
      pubKeyCredParams: Array.isArray(o4.pubKeyCredParams) ? o4.pubKeyCredParams : [{ type: "public-key", alg: -7 }],
      excludeCredentials: exclude.map((c3) => ({ type: "public-key", id: b64urlToBytes(String(obj(c3).id)) }))
    };
    if (typeof o4.timeout === "number") publicKey.timeout = o4.timeout;
    if (typeof o4.attestation === "string") publicKey.attestation = o4.attestation;
    if (typeof o4.authenticatorSelection === "object" && o4.authenticatorSelection !== null) {
      publicKey.authenticatorSelection = o4.authenticatorSelection;
    }
    const cred = await navigator.credentials.create({ publicKey });
    if (cred === null) throw new Error("No security key answered.");
    const r3 = cred.response;
    return {
      id: cred.id,
      rawId: bytesToB64url(cred.rawId),
      type: cred.type,
      extensions: {},
      response: {
        AttestationObject: bytesToB64(r3.attestationObject),
        clientDataJson: bytesToB64(r3.clientDataJSON)
      }
    };
  }

  // src/screens/auth.tsx
  var PROVIDER_NAMES = {
    0: "Authenticator app",
    1: "Email",
    7: "Security key",
    8: "Recovery code"
  };
  function rememberKey(email) {
    return `keyfleet.remember.${email.trim().toLowerCase()}`;
  }
  function SignIn({
    fixedEmail,
    onSignedIn,
    heading = "Sign in"
  }) {
    const [email, setEmail] = d2(fixedEmail ?? "");
    const [password, setPassword] = d2("");
    const [challenge, setChallenge] = d2(null);
    const finish = (r3, remember) => {
      if (r3.kind === "twoFactor") {
        setChallenge(r3.challenge);
        return;
      }
      if (remember && r3.rememberToken !== null) localStorage.setItem(rememberKey(email), r3.rememberToken);
      onSignedIn(r3.status);
    };
    if (challenge !== null) {
      return /* @__PURE__ */ a3(
        TwoStepLogin,
        {
          email,
          password,
          challenge,
          onResult: finish,
          onCancel: () => setChallenge(null)
        }
      );
    }
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "sign-in-heading", class: "card", children: [
      /* @__PURE__ */ a3("h2", { id: "sign-in-heading", children: heading }),
      /* @__PURE__ */ a3("p", { class: "note", "data-testid": "sign-in-note", children: "The console signs out when its last tab closes or reloads: your keys are kept only in its memory, never stored." }),
      /* @__PURE__ */ a3(
        ActionForm,
        {
          submit: "Sign in",
          busyText: "Deriving key\u2026",
          action: async () => {
            const remembered = localStorage.getItem(rememberKey(email));
            let r3 = await call("login", {
              email,
              password,
              deviceIdentifier: deviceIdentifier(),
              secondFactor: remembered === null ? null : { provider: 5, token: remembered, remember: false }
            });
            if (r3.kind === "twoFactor" && remembered !== null) {
              localStorage.removeItem(rememberKey(email));
              r3 = await call("login", { email, password, deviceIdentifier: deviceIdentifier(), secondFactor: null });
            }
            finish(r3, false);
          },
          children: [
            /* @__PURE__ */ a3(
              Field,
              {
                label: "Email address",
                type: "email",
                value: email,
                onInput: setEmail,
                required: true,
                autocomplete: "username",
                readOnly: fixedEmail !== void 0
              }
            ),
            /* @__PURE__ */ a3(
              Field,
              {
                label: "Master password",
                type: "password",
                value: password,
                onInput: setPassword,
                required: true,
                autocomplete: "current-password"
              }
            )
          ]
        }
      )
    ] });
  }
  function TwoStepLogin({
    email,
    password,
    challenge,
    onResult,
    onCancel
  }) {
    const offered = challenge.providers.filter((p3) => p3 in PROVIDER_NAMES);
    const [provider, setProvider] = d2(offered.includes(0) ? 0 : offered[0] ?? 8);
    const [code, setCode] = d2("");
    const [remember, setRemember] = d2(false);
    const [note, setNote] = d2("");
    A2(() => {
      if (provider !== 1) return;
      let live = true;
      setNote("Sending a code\u2026");
      call("sendEmailCode", { email, password }).then(
        () => live && setNote(`Code sent to ${challenge.email ?? "your email address"}.`),
        (e3) => live && setNote(errText(e3))
      );
      return () => {
        live = false;
      };
    }, [provider]);
    const send = async (token) => {
      const r3 = await call("login", {
        email,
        password,
        deviceIdentifier: deviceIdentifier(),
        secondFactor: { provider, token: token.trim().replace(/\s/g, ""), remember }
      });
      onResult(r3, remember);
    };
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "two-step-heading", class: "card", children: [
      /* @__PURE__ */ a3("h2", { id: "two-step-heading", children: "Two-step login" }),
      /* @__PURE__ */ a3("fieldset", { children: [
        /* @__PURE__ */ a3("legend", { children: "Method" }),
        [...offered, ...offered.includes(8) ? [] : [8]].map((p3) => /* @__PURE__ */ a3("label", { class: "inline", children: [
          /* @__PURE__ */ a3("input", { type: "radio", name: "tf", checked: provider === p3, onChange: () => setProvider(p3) }),
          " ",
          PROVIDER_NAMES[p3]
        ] }, p3))
      ] }),
      provider === 7 ? /* @__PURE__ */ a3(
        ActionForm,
        {
          submit: "Use security key",
          action: async () => send(await assertForLogin(challenge.webauthn)),
          children: [
            /* @__PURE__ */ a3("p", { children: "Insert or touch your security key when the browser asks." }),
            /* @__PURE__ */ a3(RememberBox, { value: remember, onChange: setRemember })
          ]
        }
      ) : /* @__PURE__ */ a3(ActionForm, { submit: "Continue", busyText: "Checking\u2026", action: () => send(code), children: [
        provider === 1 ? /* @__PURE__ */ a3($, { children: [
          /* @__PURE__ */ a3("p", { class: "note", "aria-live": "polite", "data-testid": "email-code-note", children: note }),
          /* @__PURE__ */ a3(
            ActionButton,
            {
              label: "Send the code again",
              action: async () => {
                await call("sendEmailCode", { email, password });
                setNote(`Another code sent to ${challenge.email ?? "your email address"}.`);
              }
            }
          )
        ] }) : null,
        /* @__PURE__ */ a3(
          Field,
          {
            label: provider === 8 ? "Recovery code" : provider === 1 ? "Code from the email" : "Code from the authenticator app",
            value: code,
            onInput: setCode,
            required: true,
            autocomplete: "one-time-code"
          }
        ),
        /* @__PURE__ */ a3(RememberBox, { value: remember, onChange: setRemember })
      ] }),
      /* @__PURE__ */ a3("button", { type: "button", class: "secondary", onClick: onCancel, children: "Back" })
    ] });
  }
  function RememberBox({ value, onChange }) {
    return /* @__PURE__ */ a3("label", { class: "inline", children: [
      /* @__PURE__ */ a3("input", { type: "checkbox", checked: value, onChange: (e3) => onChange(e3.currentTarget.checked) }),
      " ",
      "Remember this browser for two-step login"
    ] });
  }
  function CreateAccount({
    email,
    invitation,
    onSignedIn
  }) {
    const [name, setName] = d2("");
    const [password, setPassword] = d2("");
    const [again, setAgain] = d2("");
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "create-heading", class: "card", children: [
      /* @__PURE__ */ a3("h2", { id: "create-heading", children: "Create your account" }),
      /* @__PURE__ */ a3("p", { children: "Your master password never leaves this browser. Nobody can reset it for you: keep it somewhere safe." }),
      /* @__PURE__ */ a3(
        ActionForm,
        {
          submit: "Create account",
          busyText: "Creating keys\u2026",
          action: async () => {
            const problem = newPasswordProblem(password, again);
            if (problem !== null) throw new Error(problem);
            const r3 = await call("register", {
              email,
              name,
              password,
              invitation,
              deviceIdentifier: deviceIdentifier()
            });
            if (r3.kind === "ok") onSignedIn(r3.status);
            else throw new Error("Sign in to continue.");
          },
          children: [
            /* @__PURE__ */ a3(Field, { label: "Email address", type: "email", value: email, onInput: () => void 0, readOnly: true }),
            /* @__PURE__ */ a3(Field, { label: "Your name", value: name, onInput: setName, required: true, autocomplete: "name" }),
            /* @__PURE__ */ a3(
              Field,
              {
                label: "Master password",
                type: "password",
                value: password,
                onInput: setPassword,
                required: true,
                autocomplete: "new-password",
                hint: "At least 12 characters."
              }
            ),
            /* @__PURE__ */ a3(
              Field,
              {
                label: "Master password again",
                type: "password",
                value: again,
                onInput: setAgain,
                required: true,
                autocomplete: "new-password"
              }
            )
          ]
        }
      )
    ] });
  }
  function AccountStep({
    email,
    invitation,
    onSignedIn
  }) {
    const [haveAccount, setHaveAccount] = d2(false);
    return /* @__PURE__ */ a3($, { children: [
      haveAccount ? /* @__PURE__ */ a3(SignIn, { fixedEmail: email, onSignedIn }) : /* @__PURE__ */ a3(CreateAccount, { email, invitation, onSignedIn }),
      /* @__PURE__ */ a3("p", { class: "center", children: /* @__PURE__ */ a3("button", { type: "button", class: "link", onClick: () => setHaveAccount(!haveAccount), children: haveAccount ? "I need a new account" : "I already have an account" }) })
    ] });
  }
  function useProfile(status, n2) {
    return useLoad(
      async () => status.signedIn && !status.locked ? call("profile", {}) : null,
      `${status.signedIn ? status.email : ""}:${n2}`
    );
  }
  function Steps({ steps, current }) {
    return /* @__PURE__ */ a3("ol", { class: "steps", "aria-label": "Steps", children: steps.map((s3, i3) => /* @__PURE__ */ a3("li", { "aria-current": i3 === current ? "step" : void 0, class: i3 < current ? "done" : "", children: s3 }, s3)) });
  }
  function SetupProvider({
    q: q2,
    status,
    onStatus
  }) {
    const [n2, setN] = d2(0);
    const profile = useProfile(status, n2);
    const [name, setName] = d2("");
    const [businessName, setBusinessName] = d2("");
    const [billingEmail, setBillingEmail] = d2(q2.email ?? "");
    const email = q2.email ?? "";
    const providerId = q2.providerId ?? "";
    const steps = ["Account", "Two-step login", "Provider"];
    if (!status.signedIn) {
      return /* @__PURE__ */ a3($, { children: [
        /* @__PURE__ */ a3(Steps, { steps, current: 0 }),
        /* @__PURE__ */ a3(
          AccountStep,
          {
            email,
            invitation: { kind: "provider", id: q2.providerUserId ?? "", token: q2.token ?? "" },
            onSignedIn: onStatus
          }
        )
      ] });
    }
    if (profile.loading && profile.data === void 0) return /* @__PURE__ */ a3(Loading, { what: "your account" });
    if (profile.data === null || profile.data === void 0) return /* @__PURE__ */ a3(ErrorNote, { error: profile.error });
    if (profile.data.providers.some((p3) => p3.id === providerId && p3.hasKey)) {
      return /* @__PURE__ */ a3("section", { class: "card", "aria-labelledby": "setup-done", children: [
        /* @__PURE__ */ a3("h2", { id: "setup-done", children: "The provider is set up" }),
        /* @__PURE__ */ a3("p", { children: /* @__PURE__ */ a3("a", { href: `#/p/${providerId}/members`, children: "Invite your team" }) })
      ] });
    }
    if (!profile.data.twoFactorEnabled) {
      return /* @__PURE__ */ a3($, { children: [
        /* @__PURE__ */ a3(Steps, { steps, current: 1 }),
        /* @__PURE__ */ a3(TwoStepSetup, { email: status.email, onEnabled: () => setN(n2 + 1), intro: "Provider members must use two-step login. Turn it on to continue." })
      ] });
    }
    return /* @__PURE__ */ a3($, { children: [
      /* @__PURE__ */ a3(Steps, { steps, current: 2 }),
      /* @__PURE__ */ a3("section", { "aria-labelledby": "setup-heading", class: "card", children: [
        /* @__PURE__ */ a3("h2", { id: "setup-heading", children: "Set up your provider" }),
        /* @__PURE__ */ a3("p", { children: "A new provider key is made in this browser and wrapped to your own account key." }),
        /* @__PURE__ */ a3(
          ActionForm,
          {
            submit: "Set up provider",
            busyText: "Setting up\u2026",
            action: async () => {
              await call("setupProvider", { providerId, token: q2.token ?? "", name, businessName, billingEmail });
              location.hash = `#/p/${providerId}/members`;
            },
            children: [
              /* @__PURE__ */ a3(Field, { label: "Provider name", value: name, onInput: setName, required: true }),
              /* @__PURE__ */ a3(Field, { label: "Business name", value: businessName, onInput: setBusinessName }),
              /* @__PURE__ */ a3(Field, { label: "Billing email", type: "email", value: billingEmail, onInput: setBillingEmail, required: true })
            ]
          }
        )
      ] })
    ] });
  }
  function OwnFingerprint({ intro }) {
    const fp = useLoad(() => call("ownFingerprint", {}), "fp");
    return /* @__PURE__ */ a3("div", { class: "fingerprint-box", children: [
      /* @__PURE__ */ a3("p", { children: intro }),
      fp.data === void 0 ? /* @__PURE__ */ a3(ErrorNote, { error: fp.error }) : /* @__PURE__ */ a3("p", { class: "phrase", "data-testid": "own-fingerprint", children: fp.data.phrase })
    ] });
  }
  function AcceptProvider({
    q: q2,
    status,
    onStatus
  }) {
    const [n2, setN] = d2(0);
    const [accepted, setAccepted] = d2(false);
    const profile = useProfile(status, n2);
    const email = q2.email ?? "";
    const steps = ["Account", "Two-step login", "Accept"];
    const providerName = q2.providerName ?? "the provider";
    if (!status.signedIn) {
      return /* @__PURE__ */ a3($, { children: [
        /* @__PURE__ */ a3("p", { class: "lead", children: [
          "You are invited to join ",
          /* @__PURE__ */ a3("strong", { children: providerName }),
          "."
        ] }),
        /* @__PURE__ */ a3(Steps, { steps, current: 0 }),
        /* @__PURE__ */ a3(
          AccountStep,
          {
            email,
            invitation: { kind: "provider", id: q2.providerUserId ?? "", token: q2.token ?? "" },
            onSignedIn: onStatus
          }
        )
      ] });
    }
    if (profile.data === void 0 || profile.data === null) {
      return profile.error !== null ? /* @__PURE__ */ a3(ErrorNote, { error: profile.error }) : /* @__PURE__ */ a3(Loading, { what: "your account" });
    }
    if (!profile.data.twoFactorEnabled) {
      return /* @__PURE__ */ a3($, { children: [
        /* @__PURE__ */ a3(Steps, { steps, current: 1 }),
        /* @__PURE__ */ a3(TwoStepSetup, { email: status.email, onEnabled: () => setN(n2 + 1), intro: "Provider members must use two-step login. Turn it on to continue." })
      ] });
    }
    if (!accepted) {
      return /* @__PURE__ */ a3($, { children: [
        /* @__PURE__ */ a3(Steps, { steps, current: 2 }),
        /* @__PURE__ */ a3("section", { "aria-labelledby": "accept-heading", class: "card", children: [
          /* @__PURE__ */ a3("h2", { id: "accept-heading", children: [
            "Join ",
            providerName
          ] }),
          /* @__PURE__ */ a3(
            ActionForm,
            {
              submit: "Accept invitation",
              action: async () => {
                await call("api", {
                  method: "POST",
                  path: `/api/providers/${encodeURIComponent(q2.providerId ?? "")}/users/${encodeURIComponent(q2.providerUserId ?? "")}/accept`,
                  body: { token: q2.token ?? "" }
                });
                setAccepted(true);
              },
              children: /* @__PURE__ */ a3("p", { children: [
                "Signed in as ",
                status.email,
                "."
              ] })
            }
          )
        ] })
      ] });
    }
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "accepted-heading", class: "card", children: [
      /* @__PURE__ */ a3("h2", { id: "accepted-heading", children: "Invitation accepted" }),
      /* @__PURE__ */ a3("p", { children: [
        "An administrator of ",
        providerName,
        " now confirms you."
      ] }),
      /* @__PURE__ */ a3(OwnFingerprint, { intro: "Read this fingerprint phrase to your administrator (by phone or in person). They confirm you only if it matches what their console shows:" })
    ] });
  }
  function AcceptOrganization({
    q: q2,
    status,
    onStatus
  }) {
    const [accepted, setAccepted] = d2(false);
    const orgName = q2.organizationName ?? "the organization";
    if (!status.signedIn) {
      return /* @__PURE__ */ a3($, { children: [
        /* @__PURE__ */ a3("p", { class: "lead", children: [
          "You are invited to join ",
          /* @__PURE__ */ a3("strong", { children: orgName }),
          "."
        ] }),
        /* @__PURE__ */ a3(
          AccountStep,
          {
            email: q2.email ?? "",
            invitation: { kind: "org", id: q2.organizationUserId ?? "", token: q2.token ?? "" },
            onSignedIn: onStatus
          }
        )
      ] });
    }
    if (!accepted) {
      return /* @__PURE__ */ a3("section", { "aria-labelledby": "accept-org-heading", class: "card", children: [
        /* @__PURE__ */ a3("h2", { id: "accept-org-heading", children: [
          "Join ",
          orgName
        ] }),
        /* @__PURE__ */ a3(
          ActionForm,
          {
            submit: "Accept invitation",
            action: async () => {
              await call("api", {
                method: "POST",
                path: `/api/organizations/${encodeURIComponent(q2.organizationId ?? "")}/users/${encodeURIComponent(q2.organizationUserId ?? "")}/accept`,
                body: { token: q2.token ?? "" }
              });
              setAccepted(true);
            },
            children: /* @__PURE__ */ a3("p", { children: [
              "Signed in as ",
              status.email,
              "."
            ] })
          }
        )
      ] });
    }
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "accepted-org-heading", class: "card", children: [
      /* @__PURE__ */ a3("h2", { id: "accepted-org-heading", children: "Invitation accepted" }),
      /* @__PURE__ */ a3("p", { children: [
        "An administrator of ",
        orgName,
        " now confirms you; then its items appear in your Bitwarden apps."
      ] }),
      /* @__PURE__ */ a3(OwnFingerprint, { intro: "If your administrator asks, read them this fingerprint phrase:" })
    ] });
  }
  function TwoStepSetup({
    email,
    onEnabled,
    intro
  }) {
    const [password, setPassword] = d2("");
    const [secret, setSecret] = d2(null);
    const [code, setCode] = d2("");
    const [recovery, setRecovery] = d2(null);
    const [keyName, setKeyName] = d2("Security key");
    const [n2, setN] = d2(0);
    const list = useLoad(async () => await call("api", { method: "GET", path: "/api/two-factor" }), `tf${n2}`);
    const enabled = (t3) => list.data?.data.some((p3) => p3.type === t3 && p3.enabled) ?? false;
    const needPassword = () => {
      if (password === "") throw new Error("Enter your master password first.");
    };
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "twostep-setup-heading", class: "card wide", children: [
      /* @__PURE__ */ a3("h2", { id: "twostep-setup-heading", children: "Two-step login" }),
      intro === void 0 ? null : /* @__PURE__ */ a3("p", { class: "lead", children: intro }),
      /* @__PURE__ */ a3("p", { children: [
        "Status: authenticator app ",
        /* @__PURE__ */ a3("strong", { children: enabled(0) ? "on" : "off" }),
        ", security keys",
        " ",
        /* @__PURE__ */ a3("strong", { children: enabled(7) ? "on" : "off" }),
        "."
      ] }),
      /* @__PURE__ */ a3(
        Field,
        {
          label: "Your master password (confirms each change)",
          type: "password",
          value: password,
          onInput: setPassword,
          autocomplete: "current-password"
        }
      ),
      /* @__PURE__ */ a3("h3", { children: "Authenticator app" }),
      secret === null ? /* @__PURE__ */ a3(
        ActionButton,
        {
          label: "Set up authenticator app",
          class: "primary",
          action: async () => {
            needPassword();
            const r3 = await call("apiWithPassword", {
              method: "POST",
              path: "/api/two-factor/get-authenticator",
              body: {},
              password
            });
            const key = r3.authenticator?.key ?? r3.key ?? "";
            setSecret({ key, token: r3.userVerificationToken ?? null });
          }
        }
      ) : recovery === null ? /* @__PURE__ */ a3($, { children: [
        /* @__PURE__ */ a3("p", { children: "Add this key to your authenticator app, then enter the code it shows." }),
        /* @__PURE__ */ a3("p", { children: [
          "Key: ",
          /* @__PURE__ */ a3("code", { "data-testid": "totp-secret", children: secret.key })
        ] }),
        /* @__PURE__ */ a3("p", { class: "small", children: [
          "Or the link: ",
          /* @__PURE__ */ a3("code", { class: "wrap", children: `otpauth://totp/Keyfleet:${encodeURIComponent(email)}?secret=${secret.key}&issuer=Keyfleet` })
        ] }),
        /* @__PURE__ */ a3(
          ActionForm,
          {
            submit: "Turn on",
            action: async () => {
              needPassword();
              const body = { key: secret.key, token: code.trim() };
              if (secret.token !== null) body.userVerificationToken = secret.token;
              await call("apiWithPassword", { method: "PUT", path: "/api/two-factor/authenticator", body, password });
              const r3 = await call("apiWithPassword", {
                method: "POST",
                path: "/api/two-factor/get-recover",
                body: {},
                password
              }).catch(() => ({ code: "" }));
              setRecovery(r3.code);
              setN(n2 + 1);
            },
            children: /* @__PURE__ */ a3(Field, { label: "Code from the app", value: code, onInput: setCode, required: true, autocomplete: "one-time-code" })
          }
        )
      ] }) : /* @__PURE__ */ a3($, { children: [
        /* @__PURE__ */ a3("p", { role: "status", children: "The authenticator app is on." }),
        /* @__PURE__ */ a3("p", { children: [
          "Your recovery code (write it down; it turns two-step login off if you lose your devices):",
          " ",
          /* @__PURE__ */ a3("code", { "data-testid": "recovery-code", children: recovery })
        ] }),
        onEnabled === void 0 ? null : /* @__PURE__ */ a3("button", { type: "button", onClick: onEnabled, children: "Continue" })
      ] }),
      /* @__PURE__ */ a3("h3", { children: "Security keys" }),
      /* @__PURE__ */ a3(
        ActionForm,
        {
          submit: "Register security key",
          action: async () => {
            needPassword();
            const options = await call("apiWithPassword", {
              method: "POST",
              path: "/api/two-factor/get-webauthn-challenge",
              body: {},
              password
            });
            const deviceResponse = await createForRegistration(options);
            const existing = await call("api", { method: "GET", path: "/api/two-factor/get-webauthn" }).catch(
              () => null
            );
            const used = new Set((existing?.keys ?? []).map((k2) => k2.id));
            let id = 1;
            while (used.has(id)) id++;
            await call("apiWithPassword", {
              method: "PUT",
              path: "/api/two-factor/webauthn",
              body: { id, name: keyName, deviceResponse },
              password
            });
            setN(n2 + 1);
          },
          children: /* @__PURE__ */ a3(Field, { label: "Name of the key", value: keyName, onInput: setKeyName, required: true })
        }
      ),
      onEnabled !== void 0 && recovery === null && (enabled(0) || enabled(7)) ? /* @__PURE__ */ a3("button", { type: "button", onClick: onEnabled, children: "Continue" }) : null
    ] });
  }
  function Account({ status, onStatus }) {
    const [error, setError] = d2(null);
    A2(() => setError(null), [status]);
    if (!status.signedIn) return null;
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "account-heading", class: "card wide", children: [
      /* @__PURE__ */ a3("h2", { id: "account-heading", children: "Your account" }),
      /* @__PURE__ */ a3("p", { children: [
        "Signed in as ",
        status.email,
        "."
      ] }),
      /* @__PURE__ */ a3(OwnFingerprint, { intro: "Your fingerprint phrase:" }),
      /* @__PURE__ */ a3("p", { children: /* @__PURE__ */ a3("a", { href: "#/two-step", children: "Two-step login settings" }) }),
      /* @__PURE__ */ a3("div", { class: "row", children: [
        /* @__PURE__ */ a3(
          "button",
          {
            type: "button",
            class: "secondary",
            onClick: () => call("lock", {}).then(onStatus, (e3) => setError(errText(e3))),
            children: "Lock"
          }
        ),
        /* @__PURE__ */ a3(
          "button",
          {
            type: "button",
            class: "secondary",
            onClick: () => call("signOut", {}).then(onStatus, (e3) => setError(errText(e3))),
            children: "Sign out"
          }
        )
      ] }),
      /* @__PURE__ */ a3(ErrorNote, { error })
    ] });
  }
  function Unlock({ status, onStatus }) {
    const [password, setPassword] = d2("");
    if (!status.signedIn) return null;
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "unlock-heading", class: "card", children: [
      /* @__PURE__ */ a3("h2", { id: "unlock-heading", children: "Unlock" }),
      /* @__PURE__ */ a3("p", { children: [
        "The console is locked. Signed in as ",
        status.email,
        "."
      ] }),
      /* @__PURE__ */ a3(ActionForm, { submit: "Unlock", busyText: "Deriving key\u2026", action: async () => onStatus(await call("unlock", { password })), children: /* @__PURE__ */ a3(Field, { label: "Master password", type: "password", value: password, onInput: setPassword, required: true, autocomplete: "current-password" }) }),
      /* @__PURE__ */ a3("button", { type: "button", class: "secondary", onClick: () => call("signOut", {}).then(onStatus), children: "Sign out" })
    ] });
  }

  // src/api/generated.ts
  var PERMISSIONS = [
    "view_clients",
    "add_or_link_client",
    "unlink_client",
    "launch_into_client",
    "edit_client_info",
    "manage_members",
    "manage_roles",
    "view_usage_and_billing",
    "manage_integrations",
    "view_events"
  ];
  var PERMISSION_DESCRIPTIONS = {
    view_clients: "See clients (list, details).",
    add_or_link_client: "Create client organizations and link existing ones.",
    unlink_client: "Unlink clients.",
    launch_into_client: "Launch into clients: act as an administrator inside a client organization.",
    edit_client_info: "Change a client's name, website, region, notes and seats.",
    manage_members: "Invite, confirm, change, assign, suspend and delete members.",
    manage_roles: "Create, change and delete custom roles.",
    view_usage_and_billing: "See the usage report.",
    manage_integrations: "Manage integrations (reserved: Keyfleet has none yet).",
    view_events: "See the provider event log."
  };

  // src/screens/provider.tsx
  function rightsOf(p3) {
    return new Set(p3.permissions);
  }
  var pidPath = (pid) => `/api/providers/${encodeURIComponent(pid)}`;
  async function get(path) {
    return await call("api", { method: "GET", path });
  }
  function roleLabel(m3) {
    return m3.role === "custom" ? m3.roleName ?? "Custom" : m3.role.charAt(0).toUpperCase() + m3.role.slice(1);
  }
  function ProviderPage({
    profile,
    providerId,
    tab,
    clientId,
    member
  }) {
    const p3 = profile.providers.find((x2) => x2.id === providerId);
    if (p3 === void 0) {
      return /* @__PURE__ */ a3("section", { class: "card", "aria-labelledby": "nf", children: [
        /* @__PURE__ */ a3("h2", { id: "nf", children: "Not found" }),
        /* @__PURE__ */ a3("p", { children: "No provider here that you are an active member of." })
      ] });
    }
    const rights = rightsOf(p3);
    const admin = p3.role === "owner" || p3.role === "admin";
    const tabs = [
      ["overview", "Overview", true],
      ["clients", "Clients", rights.has("view_clients") || rights.has("launch_into_client")],
      ["members", "Members", rights.has("manage_members")],
      ["roles", "Roles", rights.has("manage_roles") || rights.has("manage_members")],
      ["events", "Events", rights.has("view_events")],
      ["usage", "Usage", rights.has("view_usage_and_billing")],
      ["settings", "Settings", admin]
    ];
    return /* @__PURE__ */ a3("div", { class: "page", children: [
      /* @__PURE__ */ a3("h2", { class: "page-title", children: p3.name }),
      /* @__PURE__ */ a3("nav", { "aria-label": "Provider", children: /* @__PURE__ */ a3("ul", { class: "tabs", children: tabs.filter(([, , ok]) => ok).map(([t3, label]) => /* @__PURE__ */ a3("li", { children: /* @__PURE__ */ a3("a", { href: `#/p/${providerId}/${t3}`, "aria-current": t3 === tab ? "page" : void 0, children: label }) }, t3)) }) }),
      tab === "overview" ? /* @__PURE__ */ a3(Overview, { p: p3, rights }) : null,
      tab === "clients" && clientId === null ? /* @__PURE__ */ a3(Clients, { p: p3, rights }) : null,
      tab === "clients" && clientId !== null ? /* @__PURE__ */ a3(ClientDetail, { p: p3, rights, poid: clientId }) : null,
      tab === "members" ? /* @__PURE__ */ a3(Members, { p: p3, rights }) : null,
      tab === "roles" ? /* @__PURE__ */ a3(Roles, { p: p3, rights }) : null,
      tab === "events" ? /* @__PURE__ */ a3(Events, { p: p3, member }, member ?? "") : null,
      tab === "usage" ? /* @__PURE__ */ a3(Usage, { p: p3 }) : null,
      tab === "settings" ? /* @__PURE__ */ a3(Settings, { p: p3 }) : null
    ] });
  }
  function Overview({ p: p3, rights }) {
    const clients = useLoad(
      () => rights.has("view_clients") || rights.has("launch_into_client") ? get(`${pidPath(p3.id)}/clients`) : Promise.resolve({ data: [] }),
      p3.id
    );
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "ov-h", children: [
      /* @__PURE__ */ a3("h3", { id: "ov-h", children: "Overview" }),
      /* @__PURE__ */ a3("p", { children: [
        "Your role: ",
        /* @__PURE__ */ a3("strong", { children: p3.role }),
        " (clients in scope: ",
        p3.scope === "assigned" ? "assigned to you" : "all",
        ")."
      ] }),
      clients.data === void 0 ? /* @__PURE__ */ a3(ErrorNote, { error: clients.error }) : /* @__PURE__ */ a3("p", { children: [
        clients.data.data.length,
        " client(s)."
      ] }),
      p3.hasKey ? null : /* @__PURE__ */ a3("p", { class: "error", children: "This provider's key is not available to your account yet." })
    ] });
  }
  function Members({ p: p3, rights }) {
    const [n2, setN] = d2(0);
    const reload = () => setN((x2) => x2 + 1);
    const members = useLoad(() => get(`${pidPath(p3.id)}/users`), `${p3.id}:${n2}`);
    const clients = useLoad(() => get(`${pidPath(p3.id)}/clients`), `${p3.id}:c`);
    const roles = useLoad(() => get(`${pidPath(p3.id)}/roles`), `${p3.id}:r`);
    const [view, setView] = d2("active");
    const [suspendedOnly, setSuspendedOnly] = d2(false);
    const [inviting, setInviting] = d2(false);
    const [links, setLinks] = d2([]);
    const [confirming, setConfirming] = d2(null);
    const [assigning, setAssigning] = d2(null);
    const [transferring, setTransferring] = d2(null);
    const [bulk, setBulk] = d2(false);
    const all = members.data?.data ?? [];
    const accepted = all.filter((m3) => m3.status === 1);
    const shown = all.filter(
      (m3) => (view === "active" ? m3.status === 2 : m3.status !== 2) && (!suspendedOnly || m3.suspended)
    );
    const act = (m3, how, suffix) => async () => {
      await call("api", { method: how, path: `${pidPath(p3.id)}/users/${m3.id}${suffix}` });
      reload();
    };
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "members-h", children: [
      /* @__PURE__ */ a3("h3", { id: "members-h", children: "Members" }),
      /* @__PURE__ */ a3("div", { class: "toolbar", children: [
        /* @__PURE__ */ a3("div", { role: "group", "aria-label": "Member status", children: [
          /* @__PURE__ */ a3("button", { type: "button", class: view === "active" ? "" : "secondary", "aria-pressed": view === "active", onClick: () => setView("active"), children: [
            "Active (",
            all.filter((m3) => m3.status === 2).length,
            ")"
          ] }),
          /* @__PURE__ */ a3("button", { type: "button", class: view === "pending" ? "" : "secondary", "aria-pressed": view === "pending", onClick: () => setView("pending"), children: [
            "Pending (",
            all.filter((m3) => m3.status !== 2).length,
            ")"
          ] })
        ] }),
        /* @__PURE__ */ a3("label", { class: "inline", children: [
          /* @__PURE__ */ a3("input", { type: "checkbox", checked: suspendedOnly, onChange: (e3) => setSuspendedOnly(e3.currentTarget.checked) }),
          " Suspended only"
        ] }),
        /* @__PURE__ */ a3("button", { type: "button", onClick: () => setInviting(true), children: "Invite members" }),
        view === "pending" && accepted.length > 1 ? /* @__PURE__ */ a3("button", { type: "button", class: "secondary", onClick: () => setBulk(true), children: "Confirm several\u2026" }) : null
      ] }),
      /* @__PURE__ */ a3(ErrorNote, { error: clients.error }),
      /* @__PURE__ */ a3(ErrorNote, { error: roles.error }),
      links.length > 0 ? /* @__PURE__ */ a3("section", { "aria-labelledby": "links-h", class: "links", children: [
        /* @__PURE__ */ a3("h4", { id: "links-h", children: "Invitation links" }),
        /* @__PURE__ */ a3("p", { children: "These were not mailed: send each link to its person yourself." }),
        /* @__PURE__ */ a3("ul", { children: links.map((l3) => /* @__PURE__ */ a3("li", { children: [
          /* @__PURE__ */ a3("span", { children: l3.email }),
          ": ",
          /* @__PURE__ */ a3("code", { class: "wrap", "data-testid": "invite-link", "data-email": l3.email ?? "", children: l3.inviteUrl }),
          " ",
          /* @__PURE__ */ a3(CopyButton, { text: l3.inviteUrl, label: `Copy the link for ${l3.email ?? ""}` })
        ] }, l3.id)) })
      ] }) : null,
      members.data === void 0 ? members.error !== null ? /* @__PURE__ */ a3(ErrorNote, { error: members.error }) : /* @__PURE__ */ a3(Loading, { what: "members" }) : /* @__PURE__ */ a3(Table, { children: [
        /* @__PURE__ */ a3("caption", { class: "sr-only", children: view === "active" ? "Active members" : "Pending members" }),
        /* @__PURE__ */ a3("thead", { children: /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("th", { scope: "col", children: "Member" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Role" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Status" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Two-step" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Clients" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Actions" })
        ] }) }),
        /* @__PURE__ */ a3("tbody", { children: shown.map((m3) => /* @__PURE__ */ a3("tr", { "data-email": m3.email, children: [
          /* @__PURE__ */ a3("td", { children: [
            m3.name ?? "",
            " ",
            /* @__PURE__ */ a3("span", { class: "muted", children: m3.email })
          ] }),
          /* @__PURE__ */ a3("td", { children: m3.role === "owner" ? "Owner" : /* @__PURE__ */ a3(RoleSelect, { p: p3, m: m3, roles: roles.data?.data ?? [], onDone: reload }) }),
          /* @__PURE__ */ a3("td", { children: [
            ["Invited", "Accepted", "Active"][m3.status] ?? m3.status,
            m3.suspended ? " (suspended)" : ""
          ] }),
          /* @__PURE__ */ a3("td", { children: m3.twoFactorEnabled ? "On" : "Off" }),
          /* @__PURE__ */ a3("td", { children: m3.role === "owner" || m3.role === "admin" ? "All" : m3.assignedClients.length }),
          /* @__PURE__ */ a3("td", { class: "actions", children: [
            m3.status === 1 ? /* @__PURE__ */ a3("button", { type: "button", onClick: () => setConfirming(m3), "aria-label": `Confirm ${m3.email}`, children: "Confirm" }) : null,
            m3.status === 0 ? /* @__PURE__ */ a3(ActionButton, { label: "Resend", ariaLabel: `Resend the invitation to ${m3.email}`, action: async () => {
              const r3 = await call("api", { method: "POST", path: `${pidPath(p3.id)}/users/${m3.id}/reinvite` });
              if (!r3.mailed && r3.inviteUrl) setLinks([{ ...r3, email: m3.email }]);
            } }) : null,
            m3.role !== "owner" && m3.role !== "admin" ? /* @__PURE__ */ a3("button", { type: "button", class: "secondary", onClick: () => setAssigning(m3), "aria-label": `Clients of ${m3.email}`, children: "Clients\u2026" }) : null,
            m3.role !== "owner" && m3.status === 2 ? m3.suspended ? /* @__PURE__ */ a3(ActionButton, { label: "Restore", ariaLabel: `Restore ${m3.email}`, action: act(m3, "POST", "/restore") }) : /* @__PURE__ */ a3(ActionButton, { label: "Suspend", ariaLabel: `Suspend ${m3.email}`, action: act(m3, "POST", "/suspend") }) : null,
            rights.has("view_events") ? /* @__PURE__ */ a3("a", { class: "button secondary", href: `#/p/${p3.id}/events?member=${encodeURIComponent(m3.id)}`, "aria-label": `Activity of ${m3.email}`, children: "Activity" }) : null,
            p3.role === "owner" && m3.role !== "owner" && m3.status === 2 ? /* @__PURE__ */ a3("button", { type: "button", class: "secondary", onClick: () => setTransferring(m3), "aria-label": `Make owner: ${m3.email}`, children: "Make owner\u2026" }) : null,
            m3.role !== "owner" ? /* @__PURE__ */ a3(
              ActionButton,
              {
                label: "Remove",
                class: "danger",
                ariaLabel: `Remove ${m3.email}`,
                action: async () => {
                  if (!confirm(`Remove ${m3.email} from ${p3.name}?`)) return;
                  await act(m3, "DELETE", "")();
                }
              }
            ) : null
          ] })
        ] }, m3.id)) })
      ] }),
      inviting ? /* @__PURE__ */ a3(
        InviteDialog,
        {
          p: p3,
          rights,
          clients: clients.data?.data ?? [],
          roles: roles.data?.data ?? [],
          onClose: () => setInviting(false),
          onInvited: (r3) => {
            setLinks(r3.filter((x2) => !x2.mailed));
            setInviting(false);
            setView("pending");
            reload();
          }
        }
      ) : null,
      confirming !== null ? /* @__PURE__ */ a3(
        ConfirmDialog,
        {
          who: confirming.email,
          fingerprint: async () => (await call("providerFingerprints", { providerId: p3.id, ids: [confirming.id] }))[0]?.phrase ?? null,
          confirm: async () => {
            await call("confirmProviderMember", { providerId: p3.id, id: confirming.id });
            setConfirming(null);
            reload();
          },
          onClose: () => setConfirming(null)
        }
      ) : null,
      bulk ? /* @__PURE__ */ a3(
        BulkConfirmDialog,
        {
          p: p3,
          members: accepted,
          onClose: () => setBulk(false),
          onDone: () => {
            setBulk(false);
            reload();
          }
        }
      ) : null,
      assigning !== null ? /* @__PURE__ */ a3(
        AssignDialog,
        {
          title: `Clients of ${assigning.email}`,
          options: (clients.data?.data ?? []).map((c3) => ({ id: c3.id, label: c3.organizationName })),
          selected: assigning.assignedClients,
          save: async (ids) => {
            await call("api", { method: "PUT", path: `${pidPath(p3.id)}/users/${assigning.id}/clients`, body: { clientIds: ids } });
            setAssigning(null);
            reload();
          },
          onClose: () => setAssigning(null)
        }
      ) : null,
      transferring !== null ? /* @__PURE__ */ a3(
        PasswordDialog,
        {
          title: `Make ${transferring.email} the owner`,
          text: "You become an admin. Confirm with your own master password.",
          submit: "Transfer ownership",
          onClose: () => setTransferring(null),
          run: async (password) => {
            await call("apiWithPassword", {
              method: "POST",
              path: `${pidPath(p3.id)}/users/${transferring.id}/transfer-ownership`,
              body: {},
              password
            });
            setTransferring(null);
            reload();
            profileChanged();
          }
        }
      ) : null
    ] });
  }
  function RoleSelect({
    p: p3,
    m: m3,
    roles,
    onDone
  }) {
    const [error, setError] = d2(null);
    const value = m3.role === "custom" ? `custom:${m3.roleId ?? ""}` : m3.role;
    return /* @__PURE__ */ a3($, { children: [
      /* @__PURE__ */ a3(
        "select",
        {
          "aria-label": `Role of ${m3.email}`,
          value,
          onChange: (e3) => {
            const v3 = e3.currentTarget.value;
            const body = v3.startsWith("custom:") ? { role: "custom", roleId: v3.slice(7) } : { role: v3 };
            call("api", { method: "PUT", path: `${pidPath(p3.id)}/users/${m3.id}`, body }).then(onDone, setError);
          },
          children: [
            p3.role === "owner" || p3.role === "admin" ? /* @__PURE__ */ a3("option", { value: "admin", children: "Admin" }) : null,
            /* @__PURE__ */ a3("option", { value: "technician", children: "Technician" }),
            roles.map((r3) => /* @__PURE__ */ a3("option", { value: `custom:${r3.id}`, children: r3.name }, r3.id))
          ]
        }
      ),
      /* @__PURE__ */ a3(ErrorNote, { error }),
      roleLabel(m3) === "" ? null : null
    ] });
  }
  function InviteDialog({
    p: p3,
    clients,
    roles,
    onClose,
    onInvited
  }) {
    const [emails, setEmails] = d2("");
    const [role, setRole] = d2("technician");
    const [clientIds, setClientIds] = d2([]);
    const admin = p3.role === "owner" || p3.role === "admin";
    return /* @__PURE__ */ a3(Dialog, { title: "Invite members", onClose, children: /* @__PURE__ */ a3(
      ActionForm,
      {
        submit: "Invite",
        action: async () => {
          const list = emails.split(/[\s,;]+/).map((x2) => x2.trim()).filter((x2) => x2 !== "");
          if (list.length === 0 || list.length > 100) throw new Error("Enter between 1 and 100 email addresses.");
          const body = role.startsWith("custom:") ? { emails: list, role: "custom", roleId: role.slice(7), clientIds } : { emails: list, role, clientIds };
          const r3 = await call("api", { method: "POST", path: `${pidPath(p3.id)}/users/invite`, body });
          onInvited(Array.isArray(r3) ? r3 : r3.data);
        },
        children: [
          /* @__PURE__ */ a3("label", { for: "invite-emails", children: "Email addresses (one per line, up to 100)" }),
          /* @__PURE__ */ a3("textarea", { id: "invite-emails", rows: 4, value: emails, onInput: (e3) => setEmails(e3.currentTarget.value), required: true }),
          /* @__PURE__ */ a3("label", { for: "invite-role", children: "Role" }),
          /* @__PURE__ */ a3("select", { id: "invite-role", value: role, onChange: (e3) => setRole(e3.currentTarget.value), children: [
            admin ? /* @__PURE__ */ a3("option", { value: "admin", children: "Admin" }) : null,
            /* @__PURE__ */ a3("option", { value: "technician", children: "Technician" }),
            roles.map((r3) => /* @__PURE__ */ a3("option", { value: `custom:${r3.id}`, children: r3.name }, r3.id))
          ] }),
          clients.length > 0 && role !== "admin" ? /* @__PURE__ */ a3("fieldset", { children: [
            /* @__PURE__ */ a3("legend", { children: "Clients" }),
            clients.map((c3) => /* @__PURE__ */ a3("label", { class: "inline", children: [
              /* @__PURE__ */ a3(
                "input",
                {
                  type: "checkbox",
                  checked: clientIds.includes(c3.id),
                  onChange: (e3) => setClientIds(e3.currentTarget.checked ? [...clientIds, c3.id] : clientIds.filter((x2) => x2 !== c3.id))
                }
              ),
              " ",
              c3.organizationName
            ] }, c3.id))
          ] }) : null
        ]
      }
    ) });
  }
  function ConfirmDialog({
    who,
    fingerprint,
    confirm: confirm2,
    onClose
  }) {
    const fp = useLoad(fingerprint, who);
    return /* @__PURE__ */ a3(Dialog, { title: `Confirm ${who}`, onClose, children: [
      /* @__PURE__ */ a3("p", { children: [
        "Ask ",
        who,
        " to read you their fingerprint phrase. Confirm only if it is exactly this:"
      ] }),
      fp.data === void 0 ? fp.error !== null ? /* @__PURE__ */ a3(ErrorNote, { error: fp.error }) : /* @__PURE__ */ a3(Loading, { what: "the fingerprint phrase" }) : fp.data === null ? /* @__PURE__ */ a3("p", { class: "error", children: "This member has no keys yet." }) : /* @__PURE__ */ a3($, { children: [
        /* @__PURE__ */ a3("p", { class: "phrase", "data-testid": "member-fingerprint", children: fp.data }),
        /* @__PURE__ */ a3(ActionForm, { submit: "The phrases match: confirm", action: confirm2, children: null })
      ] })
    ] });
  }
  function BulkConfirmDialog({
    p: p3,
    members,
    onClose,
    onDone
  }) {
    const fps = useLoad(
      () => call("providerFingerprints", { providerId: p3.id, ids: members.map((m3) => m3.id) }),
      members.map((m3) => m3.id).join(",")
    );
    const [ids, setIds] = d2([]);
    const phrase = new Map((fps.data ?? []).map((f4) => [f4.id, f4.phrase]));
    return /* @__PURE__ */ a3(Dialog, { title: "Confirm members", onClose, children: [
      /* @__PURE__ */ a3("p", { children: "Ask each member to read you their fingerprint phrase. Tick only those whose phrase is exactly the one shown." }),
      fps.data === void 0 ? fps.error !== null ? /* @__PURE__ */ a3(ErrorNote, { error: fps.error }) : /* @__PURE__ */ a3(Loading, { what: "the fingerprint phrases" }) : /* @__PURE__ */ a3(
        ActionForm,
        {
          submit: "Confirm the ticked members",
          action: async () => {
            if (ids.length === 0) throw new Error("Tick at least one member whose phrase matches.");
            for (const id of ids) await call("confirmProviderMember", { providerId: p3.id, id });
            onDone();
          },
          children: /* @__PURE__ */ a3("fieldset", { children: [
            /* @__PURE__ */ a3("legend", { children: "Phrases" }),
            members.map((m3) => /* @__PURE__ */ a3("div", { class: "bulk-member", "data-email": m3.email, children: [
              /* @__PURE__ */ a3("label", { class: "inline", children: [
                /* @__PURE__ */ a3(
                  "input",
                  {
                    type: "checkbox",
                    disabled: !phrase.has(m3.id),
                    checked: ids.includes(m3.id),
                    onChange: (e3) => setIds(e3.currentTarget.checked ? [...ids, m3.id] : ids.filter((x2) => x2 !== m3.id))
                  }
                ),
                " ",
                m3.email
              ] }),
              /* @__PURE__ */ a3("p", { class: "phrase", "data-testid": "bulk-fingerprint", "data-email": m3.email, children: phrase.get(m3.id) ?? "No keys yet." })
            ] }, m3.id))
          ] })
        }
      )
    ] });
  }
  function AssignDialog({
    title,
    options,
    selected,
    save,
    onClose
  }) {
    const [ids, setIds] = d2([...selected]);
    return /* @__PURE__ */ a3(Dialog, { title, onClose, children: /* @__PURE__ */ a3(ActionForm, { submit: "Save", action: () => save(ids), children: /* @__PURE__ */ a3("fieldset", { children: [
      /* @__PURE__ */ a3("legend", { children: "Choose" }),
      options.length === 0 ? /* @__PURE__ */ a3("p", { children: "Nothing to choose from yet." }) : null,
      options.map((o4) => /* @__PURE__ */ a3("label", { class: "inline", children: [
        /* @__PURE__ */ a3(
          "input",
          {
            type: "checkbox",
            checked: ids.includes(o4.id),
            onChange: (e3) => setIds(e3.currentTarget.checked ? [...ids, o4.id] : ids.filter((x2) => x2 !== o4.id))
          }
        ),
        " ",
        o4.label
      ] }, o4.id))
    ] }) }) });
  }
  function PasswordDialog({
    title,
    text,
    submit,
    run,
    onClose
  }) {
    const [password, setPassword] = d2("");
    return /* @__PURE__ */ a3(Dialog, { title, onClose, children: [
      /* @__PURE__ */ a3("p", { children: text }),
      /* @__PURE__ */ a3(ActionForm, { submit, busyText: "Checking\u2026", action: () => run(password), children: /* @__PURE__ */ a3(Field, { label: "Your master password", type: "password", value: password, onInput: setPassword, required: true, autocomplete: "current-password" }) })
    ] });
  }
  function Roles({ p: p3, rights }) {
    const [n2, setN] = d2(0);
    const roles = useLoad(() => get(`${pidPath(p3.id)}/roles`), `${p3.id}:${n2}`);
    const [editing, setEditing] = d2(null);
    const [cloning, setCloning] = d2(null);
    const canEdit = rights.has("manage_roles");
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "roles-h", children: [
      /* @__PURE__ */ a3("h3", { id: "roles-h", children: "Roles" }),
      /* @__PURE__ */ a3("p", { children: "Owner and Admin can do everything; Technician views and launches into assigned clients. Custom roles:" }),
      canEdit ? /* @__PURE__ */ a3("button", { type: "button", onClick: () => setEditing("new"), children: "New role" }) : null,
      roles.data === void 0 ? /* @__PURE__ */ a3(ErrorNote, { error: roles.error }) : /* @__PURE__ */ a3(Table, { children: [
        /* @__PURE__ */ a3("thead", { children: /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("th", { scope: "col", children: "Name" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Permissions" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Scope" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Members" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Actions" })
        ] }) }),
        /* @__PURE__ */ a3("tbody", { children: roles.data.data.map((r3) => /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("td", { children: r3.name }),
          /* @__PURE__ */ a3("td", { children: r3.permissions.join(", ") }),
          /* @__PURE__ */ a3("td", { children: r3.scope }),
          /* @__PURE__ */ a3("td", { children: String(r3.members) }),
          /* @__PURE__ */ a3("td", { class: "actions", children: canEdit ? /* @__PURE__ */ a3($, { children: [
            /* @__PURE__ */ a3("button", { type: "button", class: "secondary", onClick: () => setEditing(r3), "aria-label": `Edit ${r3.name}`, children: "Edit" }),
            /* @__PURE__ */ a3("button", { type: "button", class: "secondary", onClick: () => setCloning(r3), "aria-label": `Clone ${r3.name}`, children: "Clone" }),
            /* @__PURE__ */ a3(
              ActionButton,
              {
                label: "Delete",
                class: "danger",
                ariaLabel: `Delete ${r3.name}`,
                action: async () => {
                  await call("api", { method: "DELETE", path: `${pidPath(p3.id)}/roles/${r3.id}` });
                  setN(n2 + 1);
                }
              }
            )
          ] }) : null })
        ] }, r3.id)) })
      ] }),
      editing !== null ? /* @__PURE__ */ a3(
        RoleDialog,
        {
          p: p3,
          rights,
          role: editing === "new" ? null : editing,
          onClose: () => setEditing(null),
          onSaved: () => {
            setEditing(null);
            setN(n2 + 1);
          }
        }
      ) : null,
      cloning !== null ? /* @__PURE__ */ a3(
        RoleDialog,
        {
          p: p3,
          rights,
          role: null,
          template: cloning,
          onClose: () => setCloning(null),
          onSaved: () => {
            setCloning(null);
            setN(n2 + 1);
          }
        }
      ) : null
    ] });
  }
  function RoleDialog({
    p: p3,
    rights,
    role,
    template,
    onClose,
    onSaved
  }) {
    const from = role ?? template ?? null;
    const [name, setName] = d2(role !== null ? role.name : template !== void 0 ? `Copy of ${template.name}` : "");
    const [perms, setPerms] = d2(from?.permissions ?? []);
    const [scope, setScope] = d2(from?.scope ?? "assigned");
    const mayAll = p3.scope === "all";
    return /* @__PURE__ */ a3(Dialog, { title: role !== null ? `Edit ${role.name}` : template !== void 0 ? `Clone ${template.name}` : "New role", onClose, children: /* @__PURE__ */ a3(
      ActionForm,
      {
        submit: "Save",
        action: async () => {
          const body = { name, permissions: perms, scope };
          await call("api", {
            method: role === null ? "POST" : "PUT",
            path: role === null ? `${pidPath(p3.id)}/roles` : `${pidPath(p3.id)}/roles/${role.id}`,
            body
          });
          onSaved();
        },
        children: [
          /* @__PURE__ */ a3(Field, { label: "Name", value: name, onInput: setName, required: true }),
          /* @__PURE__ */ a3("fieldset", { children: [
            /* @__PURE__ */ a3("legend", { children: "Permissions" }),
            PERMISSIONS.map((c3) => /* @__PURE__ */ a3("label", { class: "inline", children: [
              /* @__PURE__ */ a3(
                "input",
                {
                  type: "checkbox",
                  disabled: !rights.has(c3),
                  checked: perms.includes(c3),
                  onChange: (e3) => setPerms(e3.currentTarget.checked ? [...perms, c3] : perms.filter((x2) => x2 !== c3))
                }
              ),
              " ",
              PERMISSION_DESCRIPTIONS[c3]
            ] }, c3))
          ] }),
          /* @__PURE__ */ a3("fieldset", { children: [
            /* @__PURE__ */ a3("legend", { children: "Scope" }),
            /* @__PURE__ */ a3("label", { class: "inline", children: [
              /* @__PURE__ */ a3("input", { type: "radio", name: "scope", checked: scope === "assigned", onChange: () => setScope("assigned") }),
              " Assigned clients"
            ] }),
            /* @__PURE__ */ a3("label", { class: "inline", children: [
              /* @__PURE__ */ a3("input", { type: "radio", name: "scope", disabled: !mayAll, checked: scope === "all", onChange: () => setScope("all") }),
              " All clients"
            ] })
          ] })
        ]
      }
    ) });
  }
  var PAGE = 50;
  function useNames(p3) {
    const names = useLoad(() => get(`${pidPath(p3.id)}/users/names`).catch(() => ({ data: [] })), p3.id);
    return w2(() => {
      const m3 = /* @__PURE__ */ new Map();
      const list = names.data === void 0 ? [] : Array.isArray(names.data) ? names.data : names.data.data;
      for (const x2 of list) m3.set(x2.id, x2.name === null || x2.name === "" || x2.name === x2.email ? x2.email : `${x2.name} (${x2.email})`);
      return m3;
    }, [names.data]);
  }
  function Clients({ p: p3, rights }) {
    const [n2, setN] = d2(0);
    const clients = useLoad(() => get(`${pidPath(p3.id)}/clients`), `${p3.id}:${n2}`);
    const names = useNames(p3);
    const [search, setSearch] = d2("");
    const [sort, setSort] = d2("name");
    const [page, setPage] = d2(0);
    const [creating, setCreating] = d2(false);
    const [linking, setLinking] = d2(false);
    const [launching, setLaunching] = d2(null);
    const filtered = w2(() => {
      const q2 = search.trim().toLowerCase();
      const list = (clients.data?.data ?? []).filter((c3) => q2 === "" || c3.organizationName.toLowerCase().includes(q2));
      return list.sort((a4, b2) => sort === "name" ? a4.organizationName.localeCompare(b2.organizationName) : b2.seats - a4.seats);
    }, [clients.data, search, sort]);
    const pages = Math.max(1, Math.ceil(filtered.length / PAGE));
    const shown = filtered.slice(page * PAGE, page * PAGE + PAGE);
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "clients-h", children: [
      /* @__PURE__ */ a3("h3", { id: "clients-h", children: "Clients" }),
      /* @__PURE__ */ a3("div", { class: "toolbar", children: [
        /* @__PURE__ */ a3("label", { for: "client-search", class: "inline", children: "Search" }),
        /* @__PURE__ */ a3(
          "input",
          {
            id: "client-search",
            type: "search",
            class: "narrow",
            value: search,
            onInput: (e3) => {
              setSearch(e3.currentTarget.value);
              setPage(0);
            }
          }
        ),
        /* @__PURE__ */ a3("label", { for: "client-sort", class: "inline", children: "Sort by" }),
        /* @__PURE__ */ a3("select", { id: "client-sort", value: sort, onChange: (e3) => setSort(e3.currentTarget.value), children: [
          /* @__PURE__ */ a3("option", { value: "name", children: "Name" }),
          /* @__PURE__ */ a3("option", { value: "seats", children: "Seats" })
        ] }),
        rights.has("add_or_link_client") ? /* @__PURE__ */ a3($, { children: [
          /* @__PURE__ */ a3("button", { type: "button", onClick: () => setCreating(true), children: "New client" }),
          /* @__PURE__ */ a3("button", { type: "button", class: "secondary", onClick: () => setLinking(true), children: "Link existing organization" })
        ] }) : null
      ] }),
      clients.data === void 0 ? clients.error !== null ? /* @__PURE__ */ a3(ErrorNote, { error: clients.error }) : /* @__PURE__ */ a3(Loading, { what: "clients" }) : /* @__PURE__ */ a3($, { children: [
        /* @__PURE__ */ a3(Table, { children: [
          /* @__PURE__ */ a3("caption", { class: "sr-only", children: "Clients" }),
          /* @__PURE__ */ a3("thead", { children: /* @__PURE__ */ a3("tr", { children: [
            /* @__PURE__ */ a3("th", { scope: "col", children: "Client" }),
            /* @__PURE__ */ a3("th", { scope: "col", children: "Plan" }),
            /* @__PURE__ */ a3("th", { scope: "col", children: "Seats" }),
            /* @__PURE__ */ a3("th", { scope: "col", children: "Managed by" }),
            /* @__PURE__ */ a3("th", { scope: "col", children: "Actions" })
          ] }) }),
          /* @__PURE__ */ a3("tbody", { children: shown.map((c3) => /* @__PURE__ */ a3("tr", { children: [
            /* @__PURE__ */ a3("td", { children: /* @__PURE__ */ a3("a", { href: `#/p/${p3.id}/clients/${c3.id}`, children: c3.organizationName }) }),
            /* @__PURE__ */ a3("td", { children: c3.plan }),
            /* @__PURE__ */ a3("td", { children: [
              String(c3.occupiedSeats),
              " / ",
              c3.seats
            ] }),
            /* @__PURE__ */ a3("td", { children: c3.assignedMembers.map((id) => names.get(id) ?? "\u2026").join(", ") || "\u2014" }),
            /* @__PURE__ */ a3("td", { children: rights.has("launch_into_client") && c3.key !== null ? /* @__PURE__ */ a3("button", { type: "button", onClick: () => setLaunching(c3), "aria-label": `Launch ${c3.organizationName}`, children: "Launch" }) : null })
          ] }, c3.id)) })
        ] }),
        filtered.length === 0 ? /* @__PURE__ */ a3("p", { children: "No clients." }) : null,
        pages > 1 ? /* @__PURE__ */ a3("nav", { "aria-label": "Pages", class: "row", children: [
          /* @__PURE__ */ a3("button", { type: "button", class: "secondary", disabled: page === 0, onClick: () => setPage(page - 1), children: "Previous" }),
          /* @__PURE__ */ a3("span", { children: [
            "Page ",
            page + 1,
            " of ",
            pages
          ] }),
          /* @__PURE__ */ a3("button", { type: "button", class: "secondary", disabled: page + 1 >= pages, onClick: () => setPage(page + 1), children: "Next" })
        ] }) : null
      ] }),
      creating ? /* @__PURE__ */ a3(
        CreateClientDialog,
        {
          p: p3,
          onClose: () => setCreating(false),
          onCreated: () => {
            setCreating(false);
            setN(n2 + 1);
          }
        }
      ) : null,
      linking ? /* @__PURE__ */ a3(
        LinkClientDialog,
        {
          p: p3,
          onClose: () => setLinking(false),
          onLinked: () => {
            setLinking(false);
            setN(n2 + 1);
          }
        }
      ) : null,
      launching !== null ? /* @__PURE__ */ a3(LaunchDialog, { p: p3, c: launching, onClose: () => setLaunching(null) }) : null
    ] });
  }
  function LaunchDialog({ p: p3, c: c3, onClose }) {
    return /* @__PURE__ */ a3(
      PasswordDialog,
      {
        title: `Launch ${c3.organizationName}`,
        text: "Launching is logged in the provider's and the client's event logs. Confirm with your own master password.",
        submit: "Launch",
        onClose,
        run: async (password) => {
          const l3 = await call("launch", { providerId: p3.id, providerOrganizationId: c3.id, password });
          window.open(`/console/#/c/${l3.organizationId}`, "_blank");
          onClose();
        }
      }
    );
  }
  function LinkClientDialog({
    p: p3,
    onClose,
    onLinked
  }) {
    const addable = useLoad(async () => {
      const r3 = await get(`${pidPath(p3.id)}/clients/addable`);
      return Array.isArray(r3) ? r3 : r3.data;
    }, p3.id);
    const [organizationId, setOrganizationId] = d2("");
    const [password, setPassword] = d2("");
    const list = (addable.data ?? []).filter((o4) => !o4.disabled);
    const chosen = organizationId !== "" ? organizationId : list[0]?.id ?? "";
    return /* @__PURE__ */ a3(Dialog, { title: "Link an existing organization", onClose, children: addable.data === void 0 ? addable.error !== null ? /* @__PURE__ */ a3(ErrorNote, { error: addable.error }) : /* @__PURE__ */ a3(Loading, { what: "your organizations" }) : list.length === 0 ? /* @__PURE__ */ a3("p", { children: "You own no organization that could become a client." }) : /* @__PURE__ */ a3(
      ActionForm,
      {
        submit: "Link organization",
        busyText: "Wrapping the key\u2026",
        action: async () => {
          await call("linkClient", { providerId: p3.id, organizationId: chosen, password });
          onLinked();
        },
        children: [
          /* @__PURE__ */ a3("p", { children: [
            "The organization's key is wrapped under ",
            p3.name,
            "'s key, so its members can launch into it. This is logged."
          ] }),
          /* @__PURE__ */ a3("label", { for: "link-org", children: "Organization" }),
          /* @__PURE__ */ a3("select", { id: "link-org", value: chosen, onChange: (e3) => setOrganizationId(e3.currentTarget.value), children: list.map((o4) => /* @__PURE__ */ a3("option", { value: o4.id, children: [
            o4.name,
            " (",
            o4.plan,
            ", ",
            String(o4.seats),
            " seats)"
          ] }, o4.id)) }),
          /* @__PURE__ */ a3(Field, { label: "Your master password", type: "password", value: password, onInput: setPassword, required: true, autocomplete: "current-password" })
        ]
      }
    ) });
  }
  function CreateClientDialog({
    p: p3,
    onClose,
    onCreated
  }) {
    const [name, setName] = d2("");
    const [planType, setPlanType] = d2("17");
    const [seats, setSeats] = d2("10");
    const [ownerEmail, setOwnerEmail] = d2("");
    const [collectionName, setCollectionName] = d2("Default collection");
    const [invite, setInvite] = d2(null);
    if (invite !== null) {
      return /* @__PURE__ */ a3(Dialog, { title: "Client created", onClose: onCreated, children: [
        /* @__PURE__ */ a3("p", { children: [
          "Send this invitation link to the client's owner (",
          invite.email,
          "):"
        ] }),
        /* @__PURE__ */ a3("p", { children: [
          /* @__PURE__ */ a3("code", { class: "wrap", children: invite.inviteUrl }),
          " ",
          /* @__PURE__ */ a3(CopyButton, { text: invite.inviteUrl, label: "Copy the owner's link" })
        ] })
      ] });
    }
    return /* @__PURE__ */ a3(Dialog, { title: "New client", onClose, children: /* @__PURE__ */ a3(
      ActionForm,
      {
        submit: "Create client",
        busyText: "Creating keys\u2026",
        action: async () => {
          const r3 = await call("createClient", {
            providerId: p3.id,
            client: { name, planType: Number(planType), seats: Number(seats), ownerEmail, collectionName }
          });
          if (r3.ownerInvite !== null && r3.ownerInvite !== void 0 && !r3.ownerInvite.mailed) setInvite(r3.ownerInvite);
          else onCreated();
        },
        children: [
          /* @__PURE__ */ a3(Field, { label: "Client name", value: name, onInput: setName, required: true }),
          /* @__PURE__ */ a3("label", { for: "plan", children: "Plan" }),
          /* @__PURE__ */ a3("select", { id: "plan", value: planType, onChange: (e3) => setPlanType(e3.currentTarget.value), children: [
            /* @__PURE__ */ a3("option", { value: "17", children: "Teams (monthly)" }),
            /* @__PURE__ */ a3("option", { value: "18", children: "Teams (annually)" }),
            /* @__PURE__ */ a3("option", { value: "19", children: "Enterprise (monthly)" }),
            /* @__PURE__ */ a3("option", { value: "20", children: "Enterprise (annually)" })
          ] }),
          /* @__PURE__ */ a3(Field, { label: "Seats", type: "number", value: seats, onInput: setSeats, required: true }),
          /* @__PURE__ */ a3(Field, { label: "Owner's email (optional)", type: "email", value: ownerEmail, onInput: setOwnerEmail }),
          /* @__PURE__ */ a3(Field, { label: "First collection", value: collectionName, onInput: setCollectionName, required: true })
        ]
      }
    ) });
  }
  function ClientDetail({ p: p3, rights, poid }) {
    const [n2, setN] = d2(0);
    const c3 = useLoad(() => get(`${pidPath(p3.id)}/clients/${encodeURIComponent(poid)}`), `${poid}:${n2}`);
    const names = useNames(p3);
    const [assigning, setAssigning] = d2(false);
    const [editing, setEditing] = d2(false);
    const [launching, setLaunching] = d2(false);
    if (c3.data === void 0) {
      if (c3.loading) return /* @__PURE__ */ a3(Loading, { what: "the client" });
      return /* @__PURE__ */ a3("section", { "aria-labelledby": "cnf", children: [
        /* @__PURE__ */ a3("h3", { id: "cnf", children: "Client not found" }),
        /* @__PURE__ */ a3("p", { children: "No client here that you may see." })
      ] });
    }
    const d3 = c3.data;
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "cd-h", children: [
      /* @__PURE__ */ a3("h3", { id: "cd-h", children: d3.organizationName }),
      /* @__PURE__ */ a3("dl", { class: "facts", children: [
        /* @__PURE__ */ a3("dt", { children: "Plan" }),
        /* @__PURE__ */ a3("dd", { children: d3.plan }),
        /* @__PURE__ */ a3("dt", { children: "Seats" }),
        /* @__PURE__ */ a3("dd", { children: [
          String(d3.occupiedSeats),
          " used of ",
          d3.seats
        ] }),
        /* @__PURE__ */ a3("dt", { children: "Website" }),
        /* @__PURE__ */ a3("dd", { children: d3.website ?? "\u2014" }),
        /* @__PURE__ */ a3("dt", { children: "Notes" }),
        /* @__PURE__ */ a3("dd", { children: d3.notes ?? "\u2014" }),
        /* @__PURE__ */ a3("dt", { children: "Managed by" }),
        /* @__PURE__ */ a3("dd", { children: d3.assignedMembers.map((id) => names.get(id) ?? "\u2026").join(", ") || "\u2014" })
      ] }),
      /* @__PURE__ */ a3("div", { class: "row", children: [
        rights.has("launch_into_client") && d3.key !== null ? /* @__PURE__ */ a3("button", { type: "button", onClick: () => setLaunching(true), children: "Launch" }) : null,
        rights.has("manage_members") ? /* @__PURE__ */ a3("button", { type: "button", class: "secondary", onClick: () => setAssigning(true), children: "Technicians\u2026" }) : null,
        rights.has("edit_client_info") ? /* @__PURE__ */ a3("button", { type: "button", class: "secondary", onClick: () => setEditing(true), children: "Edit" }) : null,
        rights.has("unlink_client") ? /* @__PURE__ */ a3(
          ActionButton,
          {
            label: "Unlink",
            class: "danger",
            action: async () => {
              if (!confirm(`Unlink ${d3.organizationName}? The provider loses access.`)) return;
              await call("api", { method: "DELETE", path: `${pidPath(p3.id)}/clients/${d3.id}` });
              location.hash = `#/p/${p3.id}/clients`;
            }
          }
        ) : null
      ] }),
      assigning ? /* @__PURE__ */ a3(
        AssignDialog,
        {
          title: `Technicians of ${d3.organizationName}`,
          options: [...names.entries()].map(([id, label]) => ({ id, label })),
          selected: d3.assignedMembers,
          onClose: () => setAssigning(false),
          save: async (ids) => {
            await call("api", { method: "PUT", path: `${pidPath(p3.id)}/clients/${d3.id}/members`, body: { memberIds: ids } });
            setAssigning(false);
            setN(n2 + 1);
          }
        }
      ) : null,
      editing ? /* @__PURE__ */ a3(
        EditClientDialog,
        {
          p: p3,
          c: d3,
          onClose: () => setEditing(false),
          onSaved: () => {
            setEditing(false);
            setN(n2 + 1);
          }
        }
      ) : null,
      launching ? /* @__PURE__ */ a3(LaunchDialog, { p: p3, c: d3, onClose: () => setLaunching(false) }) : null
    ] });
  }
  function EditClientDialog({
    p: p3,
    c: c3,
    onClose,
    onSaved
  }) {
    const [name, setName] = d2(c3.organizationName);
    const [seats, setSeats] = d2(String(c3.seats));
    const [website, setWebsite] = d2(c3.website ?? "");
    const [notes, setNotes] = d2(c3.notes ?? "");
    return /* @__PURE__ */ a3(Dialog, { title: `Edit ${c3.organizationName}`, onClose, children: /* @__PURE__ */ a3(
      ActionForm,
      {
        submit: "Save",
        action: async () => {
          await call("api", {
            method: "PUT",
            path: `${pidPath(p3.id)}/clients/${c3.id}`,
            body: { name, seats: Number(seats), website, notes }
          });
          onSaved();
        },
        children: [
          /* @__PURE__ */ a3(Field, { label: "Name", value: name, onInput: setName, required: true }),
          /* @__PURE__ */ a3(Field, { label: "Seats", type: "number", value: seats, onInput: setSeats }),
          /* @__PURE__ */ a3(Field, { label: "Website", value: website, onInput: setWebsite }),
          /* @__PURE__ */ a3(Field, { label: "Notes", value: notes, onInput: setNotes })
        ]
      }
    ) });
  }
  function Events({ p: p3, member: memberOf }) {
    const names = useNames(p3);
    const clients = useLoad(() => get(`${pidPath(p3.id)}/clients`).catch(() => ({ data: [] })), p3.id);
    const [member, setMember] = d2(memberOf ?? "");
    const [client2, setClient] = d2("");
    const [type, setType] = d2("");
    const [start, setStart] = d2("");
    const [end, setEnd] = d2("");
    const [applied, setApplied] = d2(memberOf === null ? "" : new URLSearchParams({ member: memberOf }).toString());
    const qs = (format) => {
      const q2 = new URLSearchParams();
      if (member !== "") q2.set("member", member);
      if (client2 !== "") q2.set("client", client2);
      if (type !== "") q2.set("type", type);
      if (start !== "") q2.set("start", new Date(start).toISOString());
      if (end !== "") q2.set("end", (/* @__PURE__ */ new Date(`${end}T23:59:59`)).toISOString());
      if (format !== "") q2.set("format", format);
      return q2.toString();
    };
    const events = usePaged(
      (token) => get(
        `${pidPath(p3.id)}/events?${applied}${token === null ? "" : `${applied === "" ? "" : "&"}continuationToken=${encodeURIComponent(token)}`}`
      ),
      `${p3.id}?${applied}`
    );
    const clientName = new Map((clients.data?.data ?? []).map((c3) => [c3.id, c3.organizationName]));
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "ev-h", children: [
      /* @__PURE__ */ a3("h3", { id: "ev-h", children: "Events" }),
      /* @__PURE__ */ a3(
        "form",
        {
          class: "filters",
          "aria-label": "Event filters",
          onSubmit: (e3) => {
            e3.preventDefault();
            setApplied(qs(""));
          },
          children: [
            /* @__PURE__ */ a3("div", { children: [
              /* @__PURE__ */ a3("label", { for: "ev-member", children: "Member" }),
              /* @__PURE__ */ a3("select", { id: "ev-member", value: member, onChange: (e3) => setMember(e3.currentTarget.value), children: [
                /* @__PURE__ */ a3("option", { value: "", children: "Anyone" }),
                [...names.entries()].map(([id, label]) => /* @__PURE__ */ a3("option", { value: id, children: label }, id))
              ] })
            ] }),
            /* @__PURE__ */ a3("div", { children: [
              /* @__PURE__ */ a3("label", { for: "ev-client", children: "Client" }),
              /* @__PURE__ */ a3("select", { id: "ev-client", value: client2, onChange: (e3) => setClient(e3.currentTarget.value), children: [
                /* @__PURE__ */ a3("option", { value: "", children: "Any client" }),
                (clients.data?.data ?? []).map((c3) => /* @__PURE__ */ a3("option", { value: c3.id, children: c3.organizationName }, c3.id))
              ] })
            ] }),
            /* @__PURE__ */ a3("div", { children: [
              /* @__PURE__ */ a3("label", { for: "ev-type", children: "Event type (number)" }),
              /* @__PURE__ */ a3("input", { id: "ev-type", inputMode: "numeric", value: type, onInput: (e3) => setType(e3.currentTarget.value) })
            ] }),
            /* @__PURE__ */ a3("div", { children: [
              /* @__PURE__ */ a3("label", { for: "ev-start", children: "From" }),
              /* @__PURE__ */ a3("input", { id: "ev-start", type: "date", value: start, onInput: (e3) => setStart(e3.currentTarget.value) })
            ] }),
            /* @__PURE__ */ a3("div", { children: [
              /* @__PURE__ */ a3("label", { for: "ev-end", children: "To" }),
              /* @__PURE__ */ a3("input", { id: "ev-end", type: "date", value: end, onInput: (e3) => setEnd(e3.currentTarget.value) })
            ] }),
            /* @__PURE__ */ a3("button", { type: "submit", children: "Apply filters" }),
            /* @__PURE__ */ a3(
              ActionButton,
              {
                label: "Download CSV",
                action: async () => {
                  const text = await call("api", { method: "GET", path: `${pidPath(p3.id)}/events?${qs("csv")}`, as: "text" });
                  downloadText("provider-events.csv", text);
                }
              }
            )
          ]
        }
      ),
      events.items === void 0 ? events.error !== null ? /* @__PURE__ */ a3(ErrorNote, { error: events.error }) : /* @__PURE__ */ a3(Loading, { what: "events" }) : /* @__PURE__ */ a3($, { children: [
        /* @__PURE__ */ a3(Table, { children: [
          /* @__PURE__ */ a3("thead", { children: /* @__PURE__ */ a3("tr", { children: [
            /* @__PURE__ */ a3("th", { scope: "col", children: "Date" }),
            /* @__PURE__ */ a3("th", { scope: "col", children: "Event" }),
            /* @__PURE__ */ a3("th", { scope: "col", children: "By" }),
            /* @__PURE__ */ a3("th", { scope: "col", children: "Client" }),
            /* @__PURE__ */ a3("th", { scope: "col", children: "Member" })
          ] }) }),
          /* @__PURE__ */ a3("tbody", { children: events.items.map((e3, i3) => /* @__PURE__ */ a3("tr", { children: [
            /* @__PURE__ */ a3("td", { children: formatDate(e3.date) }),
            /* @__PURE__ */ a3("td", { children: [
              e3.eventName ?? "",
              " (",
              e3.type,
              ")"
            ] }),
            /* @__PURE__ */ a3("td", { children: e3.actingUserEmail ?? "\u2014" }),
            /* @__PURE__ */ a3("td", { children: e3.providerOrganizationId === null ? "\u2014" : clientName.get(e3.providerOrganizationId) ?? "\u2014" }),
            /* @__PURE__ */ a3("td", { children: e3.providerUserId === null ? "\u2014" : names.get(e3.providerUserId) ?? "\u2014" })
          ] }, i3)) })
        ] }),
        events.more !== null ? /* @__PURE__ */ a3(ActionButton, { label: "Load more", ariaLabel: "Load more events", action: events.more }) : null
      ] })
    ] });
  }
  function Usage({ p: p3 }) {
    const usage = useLoad(() => get(`${pidPath(p3.id)}/reports/usage`), p3.id);
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "us-h", children: [
      /* @__PURE__ */ a3("h3", { id: "us-h", children: "Usage" }),
      /* @__PURE__ */ a3(
        ActionButton,
        {
          label: "Download usage CSV",
          action: async () => {
            const text = await call("api", { method: "GET", path: `${pidPath(p3.id)}/reports/usage?format=csv`, as: "text" });
            downloadText("client-usage.csv", text);
          }
        }
      ),
      usage.data === void 0 ? /* @__PURE__ */ a3(ErrorNote, { error: usage.error }) : /* @__PURE__ */ a3(Table, { children: [
        /* @__PURE__ */ a3("thead", { children: /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("th", { scope: "col", children: "Client" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Plan" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Seats used" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Items" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Two-step" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Last activity" })
        ] }) }),
        /* @__PURE__ */ a3("tbody", { children: usage.data.data.map((u3) => /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("td", { children: u3.name }),
          /* @__PURE__ */ a3("td", { children: u3.plan }),
          /* @__PURE__ */ a3("td", { children: [
            String(u3.seatsUsed),
            " / ",
            u3.seats
          ] }),
          /* @__PURE__ */ a3("td", { children: String(u3.items) }),
          /* @__PURE__ */ a3("td", { children: String(u3.membersWithTwoStepLogin) }),
          /* @__PURE__ */ a3("td", { children: formatDate(u3.lastActivity) })
        ] }, u3.providerOrganizationId)) })
      ] })
    ] });
  }
  function Settings({ p: p3 }) {
    const s3 = useLoad(() => get(pidPath(p3.id)), p3.id);
    if (s3.data === void 0) return s3.error !== null ? /* @__PURE__ */ a3(ErrorNote, { error: s3.error }) : /* @__PURE__ */ a3(Loading, { what: "settings" });
    return /* @__PURE__ */ a3(SettingsForm, { p: p3, s: s3.data });
  }
  function SettingsForm({ p: p3, s: s3 }) {
    const [name, setName] = d2(s3.name);
    const [businessName, setBusinessName] = d2(s3.businessName ?? "");
    const [billingEmail, setBillingEmail] = d2(s3.billingEmail ?? "");
    const [launchPw, setLaunchPw] = d2(s3.launchRequiresPassword ?? true);
    const [saved, setSaved] = d2(false);
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "set-h", children: [
      /* @__PURE__ */ a3("h3", { id: "set-h", children: "Settings" }),
      /* @__PURE__ */ a3(
        ActionForm,
        {
          submit: "Save",
          action: async () => {
            await call("api", {
              method: "PUT",
              path: pidPath(p3.id),
              body: { name, businessName, billingEmail, launchRequiresPassword: launchPw }
            });
            setSaved(true);
          },
          children: [
            /* @__PURE__ */ a3(Field, { label: "Provider name", value: name, onInput: setName, required: true }),
            /* @__PURE__ */ a3(Field, { label: "Business name", value: businessName, onInput: setBusinessName }),
            /* @__PURE__ */ a3(Field, { label: "Billing email", type: "email", value: billingEmail, onInput: setBillingEmail, required: true }),
            /* @__PURE__ */ a3("label", { class: "inline", children: [
              /* @__PURE__ */ a3("input", { type: "checkbox", checked: launchPw, onChange: (e3) => setLaunchPw(e3.currentTarget.checked) }),
              " Launching into a client requires the member's master password"
            ] })
          ]
        }
      ),
      saved ? /* @__PURE__ */ a3("p", { role: "status", children: "Saved." }) : null
    ] });
  }

  // src/screens/client.tsx
  var ITEM_TYPES = { 1: "login", 2: "secure note", 3: "card", 4: "identity", 5: "SSH key" };
  var orgPath = (id) => `/api/organizations/${encodeURIComponent(id)}`;
  var TYPE_NAMES = { 0: "Owner", 1: "Admin", 2: "User", 3: "Manager", 4: "Custom" };
  var STATUS_NAMES = { "-1": "Revoked", "0": "Invited", "1": "Accepted", "2": "Confirmed" };
  function ClientPage({ organizationId, tab }) {
    const launched = useLoad(() => call("launched", { organizationId }), organizationId);
    if (launched.loading) return /* @__PURE__ */ a3(Loading, { what: "the client" });
    const l3 = launched.data;
    if (l3 === null || l3 === void 0) {
      return /* @__PURE__ */ a3("section", { class: "card", "aria-labelledby": "cnf", children: [
        /* @__PURE__ */ a3("h2", { id: "cnf", children: "Client not found" }),
        /* @__PURE__ */ a3("p", { children: "There is no launched client here. Launch a client from your provider's client list." })
      ] });
    }
    const tabs = [
      ["overview", "Overview"],
      ["members", "Members"],
      ["collections", "Collections"],
      ["items", "Items"],
      ["groups", "Groups"],
      ["policies", "Policies"],
      ["events", "Events"]
    ];
    return /* @__PURE__ */ a3("div", { class: "page", children: [
      /* @__PURE__ */ a3("p", { class: "banner", role: "note", children: [
        "Launched by you from ",
        l3.providerName,
        "; your actions are logged in ",
        l3.organizationName,
        "'s event log."
      ] }),
      /* @__PURE__ */ a3("h2", { class: "page-title", children: l3.organizationName }),
      /* @__PURE__ */ a3("nav", { "aria-label": "Client", children: /* @__PURE__ */ a3("ul", { class: "tabs", children: tabs.map(([t3, label]) => /* @__PURE__ */ a3("li", { children: /* @__PURE__ */ a3("a", { href: `#/c/${organizationId}/${t3}`, "aria-current": t3 === tab ? "page" : void 0, children: label }) }, t3)) }) }),
      tab === "overview" ? /* @__PURE__ */ a3(Overview2, { l: l3 }) : null,
      tab === "members" ? /* @__PURE__ */ a3(Members2, { l: l3 }) : null,
      tab === "collections" ? /* @__PURE__ */ a3(Collections, { l: l3 }) : null,
      tab === "items" ? /* @__PURE__ */ a3(Items, { l: l3 }) : null,
      tab === "groups" ? /* @__PURE__ */ a3(Groups, { l: l3 }) : null,
      tab === "policies" ? /* @__PURE__ */ a3(Policies, { l: l3 }) : null,
      tab === "events" ? /* @__PURE__ */ a3(Events2, { l: l3 }) : null
    ] });
  }
  function Overview2({ l: l3 }) {
    const o4 = useLoad(
      async () => await call("api", { method: "GET", path: orgPath(l3.organizationId) }),
      l3.organizationId
    );
    const users = useLoad(async () => await call("api", { method: "GET", path: `${orgPath(l3.organizationId)}/users` }), `${l3.organizationId}u`);
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "cov-h", children: [
      /* @__PURE__ */ a3("h3", { id: "cov-h", children: "Overview" }),
      o4.data === void 0 ? /* @__PURE__ */ a3(ErrorNote, { error: o4.error }) : /* @__PURE__ */ a3("dl", { class: "facts", children: [
        /* @__PURE__ */ a3("dt", { children: "Plan" }),
        /* @__PURE__ */ a3("dd", { children: o4.data.plan }),
        /* @__PURE__ */ a3("dt", { children: "Seats" }),
        /* @__PURE__ */ a3("dd", { children: [
          users.data === void 0 ? "\u2026" : users.data.data.filter((u3) => u3.status >= 0).length,
          " used of ",
          o4.data.seats ?? "unlimited"
        ] })
      ] })
    ] });
  }
  function Members2({ l: l3 }) {
    const [n2, setN] = d2(0);
    const users = useLoad(async () => await call("api", { method: "GET", path: `${orgPath(l3.organizationId)}/users` }), `${l3.organizationId}:${n2}`);
    const collections = useLoad(() => call("collections", { organizationId: l3.organizationId, details: false }), l3.organizationId);
    const [inviting, setInviting] = d2(false);
    const [links, setLinks] = d2([]);
    const [confirming, setConfirming] = d2(null);
    const [recovering, setRecovering] = d2(null);
    const reload = () => setN(n2 + 1);
    const act = (u3, method, suffix) => async () => {
      await call("api", { method, path: `${orgPath(l3.organizationId)}/users/${u3.id}${suffix}` });
      reload();
    };
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "cm-h", children: [
      /* @__PURE__ */ a3("h3", { id: "cm-h", children: "Members" }),
      /* @__PURE__ */ a3("button", { type: "button", onClick: () => setInviting(true), children: "Invite members" }),
      links.length > 0 ? /* @__PURE__ */ a3("section", { "aria-labelledby": "olinks-h", class: "links", children: [
        /* @__PURE__ */ a3("h4", { id: "olinks-h", children: "Invitation links" }),
        /* @__PURE__ */ a3("ul", { children: links.map((x2, i3) => /* @__PURE__ */ a3("li", { children: [
          x2.email,
          ": ",
          /* @__PURE__ */ a3("code", { class: "wrap", "data-testid": "org-invite-link", "data-email": x2.email ?? "", children: x2.inviteUrl }),
          " ",
          /* @__PURE__ */ a3(CopyButton, { text: x2.inviteUrl ?? "", label: `Copy the link for ${x2.email ?? ""}` })
        ] }, i3)) })
      ] }) : null,
      users.data === void 0 ? users.error !== null ? /* @__PURE__ */ a3(ErrorNote, { error: users.error }) : /* @__PURE__ */ a3(Loading, { what: "members" }) : /* @__PURE__ */ a3(Table, { children: [
        /* @__PURE__ */ a3("caption", { class: "sr-only", children: [
          "Members of ",
          l3.organizationName
        ] }),
        /* @__PURE__ */ a3("thead", { children: /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("th", { scope: "col", children: "Member" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Role" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Status" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Actions" })
        ] }) }),
        /* @__PURE__ */ a3("tbody", { children: users.data.data.map((u3) => /* @__PURE__ */ a3("tr", { "data-email": u3.email, children: [
          /* @__PURE__ */ a3("td", { children: [
            u3.name ?? "",
            " ",
            /* @__PURE__ */ a3("span", { class: "muted", children: u3.email })
          ] }),
          /* @__PURE__ */ a3("td", { children: TYPE_NAMES[u3.type] ?? u3.type }),
          /* @__PURE__ */ a3("td", { children: STATUS_NAMES[String(u3.status)] ?? u3.status }),
          /* @__PURE__ */ a3("td", { class: "actions", children: [
            u3.status === 1 ? /* @__PURE__ */ a3("button", { type: "button", onClick: () => setConfirming(u3), "aria-label": `Confirm ${u3.email}`, children: "Confirm" }) : null,
            u3.resetPasswordEnrolled === true && u3.status !== 0 ? (
              // Who may recover whom is the server's call (owners, admins, provider
              // members): its refusal shows in the dialog.
              /* @__PURE__ */ a3("button", { type: "button", onClick: () => setRecovering(u3), "aria-label": `Recover the account of ${u3.email}`, children: "Recover account" })
            ) : null,
            u3.status === -1 ? /* @__PURE__ */ a3(ActionButton, { label: "Restore", ariaLabel: `Restore ${u3.email}`, action: act(u3, "PUT", "/restore") }) : /* @__PURE__ */ a3(ActionButton, { label: "Revoke", ariaLabel: `Revoke ${u3.email}`, action: act(u3, "PUT", "/revoke") }),
            /* @__PURE__ */ a3(
              ActionButton,
              {
                label: "Remove",
                class: "danger",
                ariaLabel: `Remove ${u3.email}`,
                action: async () => {
                  if (!confirm(`Remove ${u3.email}?`)) return;
                  await act(u3, "DELETE", "")();
                }
              }
            )
          ] })
        ] }, u3.id)) })
      ] }),
      inviting ? /* @__PURE__ */ a3(
        OrgInviteDialog,
        {
          l: l3,
          collections: collections.data ?? [],
          onClose: () => setInviting(false),
          onInvited: (r3) => {
            setLinks(r3.filter((x2) => x2.inviteUrl !== null && x2.inviteUrl !== void 0));
            setInviting(false);
            reload();
          }
        }
      ) : null,
      confirming !== null ? /* @__PURE__ */ a3(
        ConfirmDialog,
        {
          who: confirming.email,
          fingerprint: async () => (await call("orgFingerprints", { organizationId: l3.organizationId, ids: [confirming.id] }))[0]?.phrase ?? null,
          confirm: async () => {
            await call("confirmOrgMember", { organizationId: l3.organizationId, id: confirming.id });
            setConfirming(null);
            reload();
          },
          onClose: () => setConfirming(null)
        }
      ) : null,
      recovering !== null ? /* @__PURE__ */ a3(RecoverDialog, { l: l3, member: recovering, onClose: () => setRecovering(null) }) : null
    ] });
  }
  function RecoverDialog({
    l: l3,
    member,
    onClose
  }) {
    const [password, setPassword] = d2("");
    const [again, setAgain] = d2("");
    const [resetTwoFactor, setResetTwoFactor] = d2(false);
    const [done, setDone] = d2(false);
    return /* @__PURE__ */ a3(Dialog, { title: `Recover the account of ${member.email}`, onClose, children: done ? /* @__PURE__ */ a3("p", { role: "status", "data-testid": "recovered", children: [
      member.email,
      " now signs in with the new master password",
      resetTwoFactor ? " and no two-step login" : "",
      ". Give it to them safely: they will be asked to choose their own master password when they sign in."
    ] }) : /* @__PURE__ */ a3($, { children: [
      /* @__PURE__ */ a3("p", { children: [
        "Sets a new master password for ",
        member.email,
        "; their items stay readable. Every session of theirs ends."
      ] }),
      /* @__PURE__ */ a3(
        ActionForm,
        {
          submit: "Recover account",
          busyText: "Deriving keys\u2026",
          action: async () => {
            const problem = newPasswordProblem(password, again);
            if (problem !== null) throw new Error(problem);
            await call("recoverAccount", {
              organizationId: l3.organizationId,
              id: member.id,
              email: member.email,
              password,
              resetTwoFactor
            });
            setDone(true);
          },
          children: [
            /* @__PURE__ */ a3(
              Field,
              {
                label: "New master password",
                type: "password",
                value: password,
                onInput: setPassword,
                required: true,
                autocomplete: "new-password",
                hint: `At least ${MIN_MASTER_PASSWORD_LENGTH} characters.`
              }
            ),
            /* @__PURE__ */ a3(
              Field,
              {
                label: "New master password again",
                type: "password",
                value: again,
                onInput: setAgain,
                required: true,
                autocomplete: "new-password"
              }
            ),
            /* @__PURE__ */ a3("label", { class: "inline", children: [
              /* @__PURE__ */ a3(
                "input",
                {
                  type: "checkbox",
                  checked: resetTwoFactor,
                  onChange: (e3) => setResetTwoFactor(e3.currentTarget.checked)
                }
              ),
              " ",
              "Also turn off two-step login"
            ] })
          ]
        }
      )
    ] }) });
  }
  function OrgInviteDialog({
    l: l3,
    collections,
    onClose,
    onInvited
  }) {
    const [emails, setEmails] = d2("");
    const [type, setType] = d2("2");
    const [ids, setIds] = d2([]);
    return /* @__PURE__ */ a3(Dialog, { title: `Invite to ${l3.organizationName}`, onClose, children: /* @__PURE__ */ a3(
      ActionForm,
      {
        submit: "Invite",
        action: async () => {
          const list = emails.split(/[\s,;]+/).filter((x2) => x2 !== "");
          if (list.length === 0) throw new Error("Enter at least one email address.");
          const r3 = await call("api", {
            method: "POST",
            path: `${orgPath(l3.organizationId)}/users/invite`,
            body: {
              emails: list,
              type: Number(type),
              collections: ids.map((id) => ({ id, readOnly: false, hidePasswords: false, manage: false })),
              groups: []
            }
          });
          onInvited(r3?.data ?? []);
        },
        children: [
          /* @__PURE__ */ a3("label", { for: "org-invite-emails", children: "Email addresses" }),
          /* @__PURE__ */ a3("textarea", { id: "org-invite-emails", rows: 3, value: emails, onInput: (e3) => setEmails(e3.currentTarget.value), required: true }),
          /* @__PURE__ */ a3("label", { for: "org-invite-type", children: "Role" }),
          /* @__PURE__ */ a3("select", { id: "org-invite-type", value: type, onChange: (e3) => setType(e3.currentTarget.value), children: [
            /* @__PURE__ */ a3("option", { value: "2", children: "User" }),
            /* @__PURE__ */ a3("option", { value: "3", children: "Manager" })
          ] }),
          collections.length > 0 ? /* @__PURE__ */ a3("fieldset", { children: [
            /* @__PURE__ */ a3("legend", { children: "Collections" }),
            collections.map((c3) => /* @__PURE__ */ a3("label", { class: "inline", children: [
              /* @__PURE__ */ a3(
                "input",
                {
                  type: "checkbox",
                  checked: ids.includes(c3.id),
                  onChange: (e3) => setIds(e3.currentTarget.checked ? [...ids, c3.id] : ids.filter((x2) => x2 !== c3.id))
                }
              ),
              " ",
              c3.name
            ] }, c3.id))
          ] }) : null
        ]
      }
    ) });
  }
  function Collections({ l: l3 }) {
    const [n2, setN] = d2(0);
    const list = useLoad(() => call("collections", { organizationId: l3.organizationId, details: true }), `${l3.organizationId}:${n2}`);
    const users = useLoad(async () => await call("api", { method: "GET", path: `${orgPath(l3.organizationId)}/users` }), l3.organizationId);
    const [editing, setEditing] = d2(null);
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "cc-h", children: [
      /* @__PURE__ */ a3("h3", { id: "cc-h", children: "Collections" }),
      /* @__PURE__ */ a3("button", { type: "button", onClick: () => setEditing("new"), children: "New collection" }),
      list.data === void 0 ? list.error !== null ? /* @__PURE__ */ a3(ErrorNote, { error: list.error }) : /* @__PURE__ */ a3(Loading, { what: "collections" }) : /* @__PURE__ */ a3(Table, { children: [
        /* @__PURE__ */ a3("thead", { children: /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("th", { scope: "col", children: "Name" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Members with access" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Actions" })
        ] }) }),
        /* @__PURE__ */ a3("tbody", { children: list.data.map((c3) => /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("td", { children: c3.name }),
          /* @__PURE__ */ a3("td", { children: c3.users.length }),
          /* @__PURE__ */ a3("td", { class: "actions", children: [
            /* @__PURE__ */ a3("button", { type: "button", class: "secondary", onClick: () => setEditing(c3), "aria-label": `Edit ${c3.name}`, children: "Edit" }),
            /* @__PURE__ */ a3(
              ActionButton,
              {
                label: "Delete",
                class: "danger",
                ariaLabel: `Delete ${c3.name}`,
                action: async () => {
                  if (!confirm(`Delete the collection ${c3.name}?`)) return;
                  await call("api", { method: "DELETE", path: `${orgPath(l3.organizationId)}/collections/${c3.id}` });
                  setN(n2 + 1);
                }
              }
            )
          ] })
        ] }, c3.id)) })
      ] }),
      editing !== null ? /* @__PURE__ */ a3(
        CollectionDialog,
        {
          l: l3,
          c: editing === "new" ? null : editing,
          users: (users.data?.data ?? []).filter((u3) => u3.status >= 0 && u3.type !== 0 && u3.type !== 1),
          onClose: () => setEditing(null),
          onSaved: () => {
            setEditing(null);
            setN(n2 + 1);
          }
        }
      ) : null
    ] });
  }
  function CollectionDialog({
    l: l3,
    c: c3,
    users,
    onClose,
    onSaved
  }) {
    const [name, setName] = d2(c3?.name ?? "");
    const [ids, setIds] = d2(c3?.users.map((u3) => u3.id) ?? []);
    return /* @__PURE__ */ a3(Dialog, { title: c3 === null ? "New collection" : `Edit ${c3.name}`, onClose, children: /* @__PURE__ */ a3(
      ActionForm,
      {
        submit: "Save",
        action: async () => {
          await call("saveCollection", {
            organizationId: l3.organizationId,
            id: c3?.id ?? null,
            name,
            users: ids.map((id) => ({ id, readOnly: false, hidePasswords: false, manage: false }))
          });
          onSaved();
        },
        children: [
          /* @__PURE__ */ a3(Field, { label: "Name", value: name, onInput: setName, required: true }),
          /* @__PURE__ */ a3("fieldset", { children: [
            /* @__PURE__ */ a3("legend", { children: "Members with access" }),
            users.length === 0 ? /* @__PURE__ */ a3("p", { children: "No members to give access to." }) : null,
            users.map((u3) => /* @__PURE__ */ a3("label", { class: "inline", children: [
              /* @__PURE__ */ a3(
                "input",
                {
                  type: "checkbox",
                  checked: ids.includes(u3.id),
                  onChange: (e3) => setIds(e3.currentTarget.checked ? [...ids, u3.id] : ids.filter((x2) => x2 !== u3.id))
                }
              ),
              " ",
              u3.email
            ] }, u3.id))
          ] })
        ]
      }
    ) });
  }
  function Items({ l: l3 }) {
    const [n2, setN] = d2(0);
    const items = useLoad(() => call("items", { organizationId: l3.organizationId }), `${l3.organizationId}:${n2}`);
    const collections = useLoad(() => call("collections", { organizationId: l3.organizationId, details: false }), l3.organizationId);
    const [editing, setEditing] = d2(null);
    const [revealed, setRevealed] = d2({});
    const [trash, setTrash] = d2(false);
    const colName = new Map((collections.data ?? []).map((c3) => [c3.id, c3.name]));
    const reload = () => setN(n2 + 1);
    const cipher = (id) => `/api/ciphers/${encodeURIComponent(id)}`;
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "ci-h", children: [
      /* @__PURE__ */ a3("h3", { id: "ci-h", children: "Items" }),
      /* @__PURE__ */ a3("div", { class: "toolbar", children: [
        /* @__PURE__ */ a3("button", { type: "button", onClick: () => setEditing("new"), children: "New login item" }),
        /* @__PURE__ */ a3("label", { class: "inline", children: [
          /* @__PURE__ */ a3("input", { type: "checkbox", checked: trash, onChange: (e3) => setTrash(e3.currentTarget.checked) }),
          " Show trash"
        ] })
      ] }),
      items.data === void 0 ? items.error !== null ? /* @__PURE__ */ a3(ErrorNote, { error: items.error }) : /* @__PURE__ */ a3(Loading, { what: "items" }) : /* @__PURE__ */ a3(Table, { children: [
        /* @__PURE__ */ a3("thead", { children: /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("th", { scope: "col", children: "Name" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Username" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Password" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Collections" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Actions" })
        ] }) }),
        /* @__PURE__ */ a3("tbody", { children: items.data.filter((i3) => i3.deleted === trash).map((i3) => /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("td", { children: [
            i3.name,
            i3.type === 1 ? null : /* @__PURE__ */ a3("span", { class: "muted", children: [
              " (",
              ITEM_TYPES[i3.type] ?? "item",
              ")"
            ] })
          ] }),
          /* @__PURE__ */ a3("td", { children: i3.username }),
          /* @__PURE__ */ a3("td", { children: i3.type === 1 ? /* @__PURE__ */ a3($, { children: [
            revealed[i3.id] !== void 0 ? /* @__PURE__ */ a3("code", { children: revealed[i3.id] }) : "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022",
            " ",
            /* @__PURE__ */ a3(
              ActionButton,
              {
                label: revealed[i3.id] !== void 0 ? "Hide" : "Reveal",
                ariaLabel: `${revealed[i3.id] !== void 0 ? "Hide" : "Reveal"} the password of ${i3.name}`,
                action: async () => {
                  if (revealed[i3.id] !== void 0) {
                    const { [i3.id]: _3, ...rest } = revealed;
                    setRevealed(rest);
                    return;
                  }
                  const r3 = await call("revealPassword", { organizationId: l3.organizationId, id: i3.id, copy: false });
                  setRevealed({ ...revealed, [i3.id]: r3.password });
                }
              }
            ),
            /* @__PURE__ */ a3(
              ActionButton,
              {
                label: "Copy",
                ariaLabel: `Copy the password of ${i3.name}`,
                action: async () => {
                  const r3 = await call("revealPassword", { organizationId: l3.organizationId, id: i3.id, copy: true });
                  await navigator.clipboard?.writeText(r3.password).catch(() => void 0);
                }
              }
            )
          ] }) : "\u2014" }),
          /* @__PURE__ */ a3("td", { children: i3.collectionIds.map((c3) => colName.get(c3) ?? "\u2026").join(", ") }),
          /* @__PURE__ */ a3("td", { class: "actions", children: trash ? /* @__PURE__ */ a3($, { children: [
            /* @__PURE__ */ a3(ActionButton, { label: "Restore", ariaLabel: `Restore ${i3.name}`, action: async () => {
              await call("api", { method: "PUT", path: `${cipher(i3.id)}/restore-admin` });
              reload();
            } }),
            /* @__PURE__ */ a3(ActionButton, { label: "Delete forever", class: "danger", ariaLabel: `Delete forever: ${i3.name}`, action: async () => {
              if (!confirm(`Delete ${i3.name} forever?`)) return;
              await call("api", { method: "DELETE", path: `${cipher(i3.id)}/admin` });
              reload();
            } })
          ] }) : /* @__PURE__ */ a3($, { children: [
            /* @__PURE__ */ a3("button", { type: "button", class: "secondary", onClick: () => setEditing(i3), "aria-label": `Edit ${i3.name}`, children: "Edit" }),
            /* @__PURE__ */ a3(ActionButton, { label: "Move to trash", ariaLabel: `Move to trash: ${i3.name}`, action: async () => {
              await call("api", { method: "PUT", path: `${cipher(i3.id)}/delete-admin` });
              reload();
            } })
          ] }) })
        ] }, i3.id)) })
      ] }),
      editing !== null ? /* @__PURE__ */ a3(
        ItemDialog,
        {
          l: l3,
          item: editing === "new" ? null : editing,
          collections: collections.data ?? [],
          onClose: () => setEditing(null),
          onSaved: () => {
            setEditing(null);
            reload();
          }
        }
      ) : null
    ] });
  }
  function ItemDialog({
    l: l3,
    item,
    collections,
    onClose,
    onSaved
  }) {
    const [name, setName] = d2(item?.name ?? "");
    const [username, setUsername] = d2(item?.username ?? "");
    const [password, setPassword] = d2("");
    const [uri, setUri] = d2(item?.uri ?? "");
    const [ids, setIds] = d2(item === null ? [] : [...item.collectionIds]);
    return /* @__PURE__ */ a3(Dialog, { title: item === null ? "New login item" : `Edit ${item.name}`, onClose, children: /* @__PURE__ */ a3(
      ActionForm,
      {
        submit: "Save",
        busyText: "Encrypting\u2026",
        action: async () => {
          if (ids.length === 0) throw new Error("Choose at least one collection.");
          await call("saveItem", {
            organizationId: l3.organizationId,
            id: item?.id ?? null,
            item: { name, username, password: item !== null && password === "" ? null : password, uri, collectionIds: ids }
          });
          onSaved();
        },
        children: [
          /* @__PURE__ */ a3(Field, { label: "Name", value: name, onInput: setName, required: true }),
          item === null || item.type === 1 ? /* @__PURE__ */ a3($, { children: [
            /* @__PURE__ */ a3(Field, { label: "Username", value: username, onInput: setUsername }),
            /* @__PURE__ */ a3(
              Field,
              {
                label: "Password",
                type: "password",
                value: password,
                onInput: setPassword,
                autocomplete: "new-password",
                ...item === null ? {} : { hint: "Leave empty to keep the current password." }
              }
            ),
            /* @__PURE__ */ a3(Field, { label: "Website", value: uri, onInput: setUri })
          ] }) : /* @__PURE__ */ a3("p", { class: "note", children: [
            "Only the name and collections of a ",
            ITEM_TYPES[item.type] ?? "non-login item",
            " are edited here; the rest is kept."
          ] }),
          /* @__PURE__ */ a3("fieldset", { children: [
            /* @__PURE__ */ a3("legend", { children: "Collections" }),
            collections.map((c3) => /* @__PURE__ */ a3("label", { class: "inline", children: [
              /* @__PURE__ */ a3(
                "input",
                {
                  type: "checkbox",
                  checked: ids.includes(c3.id),
                  onChange: (e3) => setIds(e3.currentTarget.checked ? [...ids, c3.id] : ids.filter((x2) => x2 !== c3.id))
                }
              ),
              " ",
              c3.name
            ] }, c3.id))
          ] })
        ]
      }
    ) });
  }
  var EVENT_NAMES = {
    1100: "Item created",
    1101: "Item edited",
    1102: "Item deleted forever",
    1103: "Attachment added",
    1104: "Attachment deleted",
    1106: "Item collections changed",
    1107: "Item viewed",
    1108: "Password revealed",
    1111: "Password copied",
    1115: "Item moved to trash",
    1116: "Item restored",
    1300: "Collection created",
    1301: "Collection edited",
    1302: "Collection deleted",
    1400: "Group created",
    1401: "Group edited",
    1402: "Group deleted",
    1500: "Member invited",
    1501: "Member confirmed",
    1502: "Member edited",
    1503: "Member removed",
    1511: "Member revoked",
    1512: "Member restored",
    1600: "Organization edited",
    1602: "Vault exported",
    1700: "Policy changed"
  };
  function eventName(type) {
    const n2 = EVENT_NAMES[type];
    return n2 === void 0 ? `Event ${type}` : `${n2} (${type})`;
  }
  function Events2({ l: l3 }) {
    const ev = usePaged(
      async (token) => await call("api", {
        method: "GET",
        path: `${orgPath(l3.organizationId)}/events${token === null ? "" : `?continuationToken=${encodeURIComponent(token)}`}`
      }),
      l3.organizationId
    );
    const items = useLoad(() => call("items", { organizationId: l3.organizationId }), l3.organizationId);
    const itemName = new Map((items.data ?? []).map((i3) => [i3.id, i3.name]));
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "ce-h", children: [
      /* @__PURE__ */ a3("h3", { id: "ce-h", children: "Events" }),
      ev.items === void 0 ? ev.error !== null ? /* @__PURE__ */ a3(ErrorNote, { error: ev.error }) : /* @__PURE__ */ a3(Loading, { what: "events" }) : /* @__PURE__ */ a3($, { children: [
        /* @__PURE__ */ a3(
          ActionButton,
          {
            label: "Download CSV",
            action: async () => {
              const rows = ["date,type,actingUserId,cipherId", ...ev.items.map((e3) => [e3.date, e3.type, e3.actingUserId ?? "", e3.cipherId ?? ""].join(","))];
              downloadText("client-events.csv", `${rows.join("\r\n")}\r
`);
            }
          }
        ),
        /* @__PURE__ */ a3(Table, { children: [
          /* @__PURE__ */ a3("caption", { class: "sr-only", children: [
            "Events of ",
            l3.organizationName
          ] }),
          /* @__PURE__ */ a3("thead", { children: /* @__PURE__ */ a3("tr", { children: [
            /* @__PURE__ */ a3("th", { scope: "col", children: "Date" }),
            /* @__PURE__ */ a3("th", { scope: "col", children: "Event" }),
            /* @__PURE__ */ a3("th", { scope: "col", children: "Item" }),
            /* @__PURE__ */ a3("th", { scope: "col", children: "Acting user" })
          ] }) }),
          /* @__PURE__ */ a3("tbody", { children: ev.items.map((e3, i3) => /* @__PURE__ */ a3("tr", { "data-type": e3.type, children: [
            /* @__PURE__ */ a3("td", { children: formatDate(e3.date) }),
            /* @__PURE__ */ a3("td", { children: eventName(e3.type) }),
            /* @__PURE__ */ a3("td", { children: e3.cipherId === null ? "\u2014" : itemName.get(e3.cipherId) ?? e3.cipherId }),
            /* @__PURE__ */ a3("td", { children: e3.actingUserId ?? "\u2014" })
          ] }, i3)) })
        ] }),
        ev.more !== null ? /* @__PURE__ */ a3(ActionButton, { label: "Load more", ariaLabel: "Load more events", action: ev.more }) : null
      ] })
    ] });
  }
  function Groups({ l: l3 }) {
    const [n2, setN] = d2(0);
    const groups = useLoad(async () => await call("api", { method: "GET", path: `${orgPath(l3.organizationId)}/groups` }), `${l3.organizationId}:${n2}`);
    const users = useLoad(async () => await call("api", { method: "GET", path: `${orgPath(l3.organizationId)}/users` }), l3.organizationId);
    const [creating, setCreating] = d2(false);
    const [name, setName] = d2("");
    const [ids, setIds] = d2([]);
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "cg-h", children: [
      /* @__PURE__ */ a3("h3", { id: "cg-h", children: "Groups" }),
      /* @__PURE__ */ a3("button", { type: "button", onClick: () => setCreating(true), children: "New group" }),
      groups.data === void 0 ? /* @__PURE__ */ a3(ErrorNote, { error: groups.error }) : /* @__PURE__ */ a3(Table, { children: [
        /* @__PURE__ */ a3("thead", { children: /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("th", { scope: "col", children: "Name" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Actions" })
        ] }) }),
        /* @__PURE__ */ a3("tbody", { children: groups.data.data.map((g3) => /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("td", { children: g3.name }),
          /* @__PURE__ */ a3("td", { class: "actions", children: /* @__PURE__ */ a3(
            ActionButton,
            {
              label: "Delete",
              class: "danger",
              ariaLabel: `Delete ${g3.name}`,
              action: async () => {
                await call("api", { method: "DELETE", path: `${orgPath(l3.organizationId)}/groups/${g3.id}` });
                setN(n2 + 1);
              }
            }
          ) })
        ] }, g3.id)) })
      ] }),
      creating ? /* @__PURE__ */ a3(Dialog, { title: "New group", onClose: () => setCreating(false), children: /* @__PURE__ */ a3(
        ActionForm,
        {
          submit: "Save",
          action: async () => {
            await call("api", {
              method: "POST",
              path: `${orgPath(l3.organizationId)}/groups`,
              body: { name, collections: [], users: ids }
            });
            setCreating(false);
            setName("");
            setIds([]);
            setN(n2 + 1);
          },
          children: [
            /* @__PURE__ */ a3(Field, { label: "Group name", value: name, onInput: setName, required: true }),
            /* @__PURE__ */ a3("fieldset", { children: [
              /* @__PURE__ */ a3("legend", { children: "Members" }),
              (users.data?.data ?? []).filter((u3) => u3.status >= 0).map((u3) => /* @__PURE__ */ a3("label", { class: "inline", children: [
                /* @__PURE__ */ a3(
                  "input",
                  {
                    type: "checkbox",
                    checked: ids.includes(u3.id),
                    onChange: (e3) => setIds(e3.currentTarget.checked ? [...ids, u3.id] : ids.filter((x2) => x2 !== u3.id))
                  }
                ),
                " ",
                u3.email
              ] }, u3.id))
            ] })
          ]
        }
      ) }) : null
    ] });
  }
  var SIMPLE_POLICIES = [
    [0, "Require two-step login"],
    [3, "Single organization"],
    [5, "Remove individual vault"],
    [6, "Remove Send"],
    [10, "Remove individual vault export"]
  ];
  function Policies({ l: l3 }) {
    const [n2, setN] = d2(0);
    const policies = useLoad(
      async () => await call("api", { method: "GET", path: `${orgPath(l3.organizationId)}/policies` }),
      `${l3.organizationId}:${n2}`
    );
    if (policies.data === void 0) return /* @__PURE__ */ a3(ErrorNote, { error: policies.error });
    const on = (t3) => policies.data?.data.some((p3) => p3.type === t3 && p3.enabled) ?? false;
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "cp-h", children: [
      /* @__PURE__ */ a3("h3", { id: "cp-h", children: "Policies" }),
      /* @__PURE__ */ a3(Table, { children: [
        /* @__PURE__ */ a3("thead", { children: /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("th", { scope: "col", children: "Policy" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "State" }),
          /* @__PURE__ */ a3("th", { scope: "col", children: "Action" })
        ] }) }),
        /* @__PURE__ */ a3("tbody", { children: SIMPLE_POLICIES.map(([t3, label]) => /* @__PURE__ */ a3("tr", { children: [
          /* @__PURE__ */ a3("td", { children: label }),
          /* @__PURE__ */ a3("td", { children: on(t3) ? "On" : "Off" }),
          /* @__PURE__ */ a3("td", { class: "actions", children: /* @__PURE__ */ a3(
            ActionButton,
            {
              label: on(t3) ? "Turn off" : "Turn on",
              ariaLabel: `${on(t3) ? "Turn off" : "Turn on"}: ${label}`,
              action: async () => {
                await call("api", {
                  method: "PUT",
                  path: `${orgPath(l3.organizationId)}/policies/${t3}`,
                  body: { policy: { enabled: !on(t3), data: null } }
                });
                setN(n2 + 1);
              }
            }
          ) })
        ] }, t3)) })
      ] })
    ] });
  }

  // src/app.tsx
  function useRoute() {
    const [route, setRoute] = d2(() => parseRoute(location.hash));
    A2(() => {
      const onChange = () => {
        setRoute(parseRoute(location.hash));
        document.getElementById("main")?.focus();
      };
      addEventListener("hashchange", onChange);
      return () => removeEventListener("hashchange", onChange);
    }, []);
    return route;
  }
  function Home({ profile }) {
    const only = profile.providers.length === 1 ? profile.providers[0]?.id : void 0;
    A2(() => {
      if (only !== void 0 && parseRoute(location.hash).name === "home") location.replace(`#/p/${only}/clients`);
    }, [only]);
    return /* @__PURE__ */ a3("section", { "aria-labelledby": "home-h", class: "card wide", children: [
      /* @__PURE__ */ a3("h2", { id: "home-h", children: "Your providers" }),
      profile.providers.length === 0 ? /* @__PURE__ */ a3("p", { children: [
        "You are not an active member of any provider.",
        " ",
        profile.twoFactorEnabled ? null : /* @__PURE__ */ a3($, { children: [
          "Provider members need two-step login: ",
          /* @__PURE__ */ a3("a", { href: "#/two-step", children: "turn it on" }),
          "."
        ] })
      ] }) : /* @__PURE__ */ a3("ul", { children: profile.providers.map((p3) => /* @__PURE__ */ a3("li", { children: [
        /* @__PURE__ */ a3("a", { href: `#/p/${p3.id}/clients`, children: p3.name }),
        " (",
        p3.role,
        ")"
      ] }, p3.id)) })
    ] });
  }
  function SignedIn({ route, status, onStatus }) {
    const version = useProfileVersion();
    const profile = useLoad(
      () => call("profile", {}),
      `${status.email}:${route.name}:${route.name === "provider" ? route.providerId : ""}:${version}`
    );
    if (route.name === "twoStep") {
      return /* @__PURE__ */ a3(
        TwoStepSetup,
        {
          email: status.email,
          ...route.next === "" ? {} : { onEnabled: () => location.hash = route.next }
        }
      );
    }
    if (route.name === "account") return /* @__PURE__ */ a3(Account, { status, onStatus });
    if (route.name === "client") return /* @__PURE__ */ a3(ClientPage, { organizationId: route.organizationId, tab: route.tab });
    if (profile.data === void 0) {
      return profile.error !== null ? /* @__PURE__ */ a3(ErrorNote, { error: profile.error }) : /* @__PURE__ */ a3(Loading, { what: "your account" });
    }
    if (route.name === "provider") {
      return /* @__PURE__ */ a3(ProviderPage, { profile: profile.data, providerId: route.providerId, tab: route.tab, clientId: route.clientId, member: route.member });
    }
    return /* @__PURE__ */ a3(Home, { profile: profile.data });
  }
  function Body({ route, status, onStatus }) {
    switch (route.name) {
      case "setupProvider":
        return /* @__PURE__ */ a3(SetupProvider, { q: route.q, status, onStatus });
      case "acceptProvider":
        return /* @__PURE__ */ a3(AcceptProvider, { q: route.q, status, onStatus });
      case "acceptOrg":
        return /* @__PURE__ */ a3(AcceptOrganization, { q: route.q, status, onStatus });
      case "notFound":
        return /* @__PURE__ */ a3("section", { "aria-labelledby": "not-found-heading", class: "card", children: [
          /* @__PURE__ */ a3("h2", { id: "not-found-heading", children: "Page not found" }),
          /* @__PURE__ */ a3("p", { children: [
            "Nothing is at ",
            /* @__PURE__ */ a3("code", { children: route.path }),
            ". ",
            /* @__PURE__ */ a3("a", { href: "#/", children: "Go to the start page" }),
            "."
          ] })
        ] });
    }
    if (!status.signedIn) {
      return /* @__PURE__ */ a3(
        SignIn,
        {
          onSignedIn: (s3) => {
            onStatus(s3);
            if (route.name === "signIn") location.hash = "#/";
          }
        }
      );
    }
    if (status.locked) return /* @__PURE__ */ a3(Unlock, { status, onStatus });
    return /* @__PURE__ */ a3(SignedIn, { route, status, onStatus });
  }
  function App() {
    const route = useRoute();
    const [state, setState] = d2({ kind: "connecting" });
    const setStatus = (status2) => setState({ kind: "ready", status: status2 });
    A2(() => {
      if (typeof SharedWorker === "undefined") {
        setState({ kind: "unavailable", reason: "this browser has no SharedWorker" });
        return;
      }
      call("status", {}).then(
        setStatus,
        (e3) => setState({ kind: "unavailable", reason: e3 instanceof Error ? e3.message : "no answer" })
      );
      return onSessionEnded(() => setStatus({ signedIn: false }));
    }, []);
    const status = state.kind === "ready" ? state.status : null;
    return /* @__PURE__ */ a3($, { children: [
      /* @__PURE__ */ a3(
        "a",
        {
          class: "skip-link",
          href: "#main",
          onClick: (e3) => {
            e3.preventDefault();
            document.getElementById("main")?.focus();
          },
          children: "Skip to content"
        }
      ),
      /* @__PURE__ */ a3("header", { class: "top", children: [
        /* @__PURE__ */ a3("h1", { children: /* @__PURE__ */ a3("a", { href: "#/", children: "Keyfleet console" }) }),
        status?.signedIn === true ? /* @__PURE__ */ a3("nav", { "aria-label": "Account", children: /* @__PURE__ */ a3("a", { href: "#/account", children: status.email }) }) : null
      ] }),
      /* @__PURE__ */ a3("main", { id: "main", tabIndex: -1, children: [
        state.kind === "connecting" ? /* @__PURE__ */ a3(Loading, { what: "the key agent" }) : null,
        state.kind === "unavailable" ? /* @__PURE__ */ a3("p", { class: "error", children: [
          "Key agent unavailable: ",
          state.reason,
          "."
        ] }) : null,
        status !== null ? /* @__PURE__ */ a3(Body, { route, status, onStatus: setStatus }) : null
      ] }),
      /* @__PURE__ */ a3("footer", { class: "bottom", children: /* @__PURE__ */ a3("p", { class: "agent-status", children: status === null ? "" : status.signedIn ? status.locked ? "Locked." : `Signed in as ${status.email}.` : "Not signed in." }) })
    ] });
  }
  var root = document.getElementById("app");
  if (root !== null) Q(/* @__PURE__ */ a3(App, {}), root);
})();
