// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/overlap.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <optional>

namespace memscope::engine {

namespace {

struct Term
{
    std::int64_t coeff;
    std::int64_t bound; // x in [0, bound]
};

// Adds a view's dims as positive-coefficient terms; returns its lowest address.
Address addTerms(const PlacedView &v, std::vector<Term> &terms)
{
    Address lo = v.data;
    for (std::size_t i = 0; i < v.shape.size(); ++i) {
        const std::int64_t n = v.shape[i];
        const std::int64_t s = v.strides[i];
        if (n <= 1 || s == 0)
            continue;
        if (s < 0)
            lo -= static_cast<Address>(-s * (n - 1));
        terms.push_back({s < 0 ? -s : s, n - 1});
    }
    return lo;
}

class Solver
{
public:
    Solver(std::vector<Term> sparse, std::int64_t dense, std::int64_t maxWork)
        : m_terms(std::move(sparse))
        , m_dense(dense)
        , m_maxWork(maxWork)
    {
        // m_reach[k]: the largest sum terms 0..k-1 plus the dense part can make.
        m_reach.resize(m_terms.size() + 1);
        m_gcd.resize(m_terms.size() + 1);
        m_reach[0] = m_dense;
        m_gcd[0] = 0;
        for (std::size_t k = 0; k < m_terms.size(); ++k) {
            m_reach[k + 1] = m_reach[k] + m_terms[k].coeff * m_terms[k].bound;
            m_gcd[k + 1] = std::gcd(m_gcd[k], m_terms[k].coeff);
        }
    }

    Overlap solve(std::int64_t target)
    {
        const int r = search(m_terms.size(), target);
        return r > 0 ? Overlap::Yes : r == 0 ? Overlap::No : Overlap::TooHard;
    }

private:
    // Can terms 0..k-1 plus the dense part sum to exactly `target`?
    // 1 yes, 0 no, -1 out of budget.
    int search(std::size_t k, std::int64_t target)
    {
        if (target < 0 || target > m_reach[k])
            return 0;
        if (k == 0)
            return 1; // the dense part makes every value in [0, m_dense]
        // target - z must be a multiple of gcd(c_0..c_{k-1}) for some z in [0, dense].
        if (m_gcd[k] > 1 && target % m_gcd[k] > m_dense)
            return 0;
        const Term &t = m_terms[k - 1];
        const std::int64_t below = m_reach[k - 1];
        std::int64_t hi = std::min(t.bound, target / t.coeff);
        const std::int64_t need = target - below;
        const std::int64_t lo = need <= 0 ? 0 : (need + t.coeff - 1) / t.coeff;
        bool gaveUp = false;
        for (std::int64_t x = hi; x >= lo; --x) {
            if (++m_work > m_maxWork)
                return -1;
            const int r = search(k - 1, target - t.coeff * x);
            if (r > 0)
                return 1;
            gaveUp |= r < 0;
            if (gaveUp)
                return -1;
        }
        return 0;
    }

    std::vector<Term> m_terms; // ascending coefficients
    std::int64_t m_dense;
    std::int64_t m_maxWork;
    std::int64_t m_work = 0;
    std::vector<std::int64_t> m_reach;
    std::vector<std::int64_t> m_gcd;
};

} // namespace

std::int64_t PlacedView::numel() const
{
    return std::accumulate(shape.begin(), shape.end(), std::int64_t {1}, std::multiplies<>());
}

std::pair<Address, Address> PlacedView::bounds() const
{
    if (numel() == 0)
        return {data, data};
    Address lo = data;
    Address hi = data + static_cast<Address>(itemSize);
    for (std::size_t i = 0; i < shape.size(); ++i) {
        const std::int64_t span = (shape[i] - 1) * strides[i];
        if (span < 0)
            lo -= static_cast<Address>(-span);
        else
            hi += static_cast<Address>(span);
    }
    return {lo, hi};
}

bool PlacedView::isGapless() const
{
    if (numel() == 0)
        return false;
    std::vector<Term> dims; // |stride| as coeff, size as bound
    for (std::size_t i = 0; i < shape.size(); ++i)
        if (shape[i] > 1 && strides[i] != 0)
            dims.push_back({std::abs(strides[i]), shape[i]});
    std::sort(dims.begin(), dims.end(), [](const Term &l, const Term &r) { return l.coeff < r.coeff; });
    std::int64_t covered = itemSize;
    for (const Term &d : dims) {
        if (d.coeff > covered)
            return false;
        covered += d.coeff * (d.bound - 1);
    }
    return true;
}

Overlap viewsOverlap(const PlacedView &a, const PlacedView &b, std::int64_t maxWork)
{
    if (a.numel() == 0 || b.numel() == 0)
        return Overlap::No;
    const auto [aLo, aHi] = a.bounds();
    const auto [bLo, bHi] = b.bounds();
    if (aHi <= bLo || bHi <= aLo)
        return Overlap::No;

    // Share a byte iff  aLo + sum(ca*x) + u == bLo + sum(cb*y) + v  with
    // u < itemA, v < itemB. Substituting y' = bound - y and v' = itemB-1 - v
    // makes every coefficient positive:
    //   sum(ca*x) + sum(cb*y') + (u + v') == (bHi - 1) - aLo.
    std::vector<Term> terms;
    addTerms(a, terms);
    addTerms(b, terms);
    const auto target = static_cast<std::int64_t>(bHi - 1 - aLo);
    std::int64_t dense = (a.itemSize - 1) + (b.itemSize - 1); // the u + v' term, coefficient 1

    // Equal coefficients merge exactly: c*x + c*y over boxes is c*(x+y), x+y
    // filling [0, bx+by]. Then coefficients that fit inside the contiguous
    // range made so far extend it (covered sums stay an interval).
    std::sort(terms.begin(), terms.end(), [](const Term &l, const Term &r) { return l.coeff < r.coeff; });
    std::vector<Term> merged;
    for (const Term &t : terms) {
        if (!merged.empty() && merged.back().coeff == t.coeff)
            merged.back().bound += t.bound;
        else
            merged.push_back(t);
    }
    std::size_t first = 0;
    while (first < merged.size() && merged[first].coeff <= dense + 1) {
        dense += merged[first].coeff * merged[first].bound;
        ++first;
    }
    std::vector<Term> sparse(merged.begin() + static_cast<std::ptrdiff_t>(first), merged.end());
    return Solver(std::move(sparse), dense, maxWork).solve(target);
}

std::vector<std::int64_t> sharedElements(const PlacedView &a, const PlacedView &b, std::int64_t limit)
{
    std::vector<std::int64_t> out;
    const std::int64_t n = a.numel();
    if (n == 0 || b.numel() == 0 || viewsOverlap(a, b) == Overlap::No)
        return out;
    const auto [bLo, bHi] = b.bounds();
    std::vector<std::int64_t> idx(a.shape.size(), 0);
    for (std::int64_t flat = 0; flat < n && static_cast<std::int64_t>(out.size()) < limit; ++flat) {
        Address addr = a.data;
        for (std::size_t d = 0; d < idx.size(); ++d)
            addr += static_cast<Address>(idx[d] * a.strides[d]);
        if (addr < bHi && addr + static_cast<Address>(a.itemSize) > bLo) {
            const PlacedView element {addr, a.itemSize, {}, {}};
            if (viewsOverlap(element, b) != Overlap::No)
                out.push_back(flat);
        }
        for (std::size_t d = idx.size(); d-- > 0;) { // odometer, C order
            if (++idx[d] < a.shape[d])
                break;
            idx[d] = 0;
        }
    }
    return out;
}

namespace {

// Distinct bytes a view touches when each of its bytes is touched by one
// element only (dimensions of size 1 or stride 0 set aside): numel * item of
// the remaining dimensions; nullopt when elements may share bytes.
std::optional<std::uint64_t> distinctBytes(const PlacedView &v)
{
    std::vector<Term> dims;
    std::uint64_t count = 1;
    for (std::size_t i = 0; i < v.shape.size(); ++i)
        if (v.shape[i] > 1 && v.strides[i] != 0) {
            dims.push_back({std::abs(v.strides[i]), v.shape[i]});
            count *= static_cast<std::uint64_t>(v.shape[i]);
        }
    std::sort(dims.begin(), dims.end(), [](const Term &l, const Term &r) { return l.coeff < r.coeff; });
    std::int64_t reach = v.itemSize;
    for (const Term &d : dims) {
        if (d.coeff < reach)
            return std::nullopt;
        reach = d.coeff * (d.bound - 1) + reach;
    }
    return count * static_cast<std::uint64_t>(v.itemSize);
}

} // namespace

std::uint64_t sharedBytes(const PlacedView &a, const PlacedView &b, bool *exact)
{
    if (exact)
        *exact = true;
    if (a.numel() == 0 || b.numel() == 0)
        return 0;
    const auto [aLo, aHi] = a.bounds();
    const auto [bLo, bHi] = b.bounds();
    const Address lo = std::max(aLo, bLo);
    const Address hi = std::min(aHi, bHi);
    if (lo >= hi)
        return 0;
    const bool aFull = a.isGapless();
    const bool bFull = b.isGapless();
    if (aFull && bFull)
        return hi - lo;
    // One fills its range and holds the other's whole range: every byte the other touches is shared.
    if (aFull && bLo >= aLo && bHi <= aHi)
        if (const auto n = distinctBytes(b))
            return *n;
    if (bFull && aLo >= bLo && aHi <= bHi)
        if (const auto n = distinctBytes(a))
            return *n;
    // Element by element, over the view with the finer elements.
    const bool aFiner = a.itemSize < b.itemSize || (a.itemSize == b.itemSize && a.numel() <= b.numel());
    const PlacedView &fine = aFiner ? a : b;
    const PlacedView &other = aFiner ? b : a;
    constexpr std::int64_t kBudget = std::int64_t {1} << 16;
    const auto hits = sharedElements(fine, other, kBudget);
    if (exact && static_cast<std::int64_t>(hits.size()) >= kBudget)
        *exact = false;
    return static_cast<std::uint64_t>(hits.size()) * static_cast<std::uint64_t>(fine.itemSize);
}

} // namespace memscope::engine
